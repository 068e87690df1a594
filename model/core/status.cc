#include "model/core/status.h"

namespace canon
{

const char*
StatusCodeName(StatusCode code)
{
    switch (code)
    {
        case StatusCode::kOk:
            return "ok";
        case StatusCode::kMalformed:
            return "malformed";
        case StatusCode::kInvalid:
            return "invalid";
        case StatusCode::kUnknownParent:
            return "unknown-parent";
        case StatusCode::kDuplicate:
            return "duplicate";
        case StatusCode::kResourceLimit:
            return "resource-limit";
        case StatusCode::kNotFound:
            return "not-found";
        case StatusCode::kIoError:
            return "io-error";
        case StatusCode::kTooEarly:
            return "too-early";
    }
    return "unknown";
}

std::string
Status::ToString() const
{
    if (IsOk())
    {
        return "ok";
    }
    return std::string(StatusCodeName(m_code)) + ": " + m_message;
}

void
AssertionFailed(const char* expr, const char* file, int line, const char* msg)
{
    std::fprintf(stderr, "CanonSim invariant broken at %s:%d: %s (%s)\n", file, line, msg, expr);
    std::abort();
}

} // namespace canon
