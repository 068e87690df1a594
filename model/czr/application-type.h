// ApplicationType: the application types of the paper's Table 2, which a node runs and the CZR
// contribution model (contribution.h) values. Its own header so that the scenario config
// (model/run/scenario-config.h) can name the types without the contribution model's Eigen.
// The names are implemented in contribution.cc.
#ifndef CANONSIM_CZR_APPLICATION_TYPE_H
#define CANONSIM_CZR_APPLICATION_TYPE_H

#include "model/core/status.h"

#include <string>

namespace canon
{

// The application types of the paper's Table 2.
enum class ApplicationType
{
    kVehicularNetwork,
    kMeshNetwork,
    kCdn,
    kDatabaseQuery,
    kScientificComputation,
};

// "vehicular-network", "mesh-network", "cdn", "database-query", "scientific-computation".
const char* ApplicationTypeName(ApplicationType type);
// The inverse of ApplicationTypeName; names come from scenario files, so an unknown one is an
// error value, not an assert.
Result<ApplicationType> ParseApplicationType(const std::string& name);

} // namespace canon

#endif
