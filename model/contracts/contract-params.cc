#include "model/contracts/contract-params.h"

namespace canon
{

void
EncodeContractParams(Writer& w, const ContractParams& p)
{
    const ContractGasTable& g = p.gas;
    for (uint64_t v : {g.instruction, g.callBase, g.codeByte, g.deployByte, g.storageRead,
                       g.storageWrite, g.storageByte, g.transfer, g.event, g.notify, g.contractCall,
                       g.balance, g.repeatByte, g.moveElement, g.pairsKey})
    {
        w.U64(v);
    }
    w.U64(p.gasPrice);
    w.U64(p.gasLimitMax);
    w.U64(p.memoryBytesMax);
    w.U32(p.callDepthMax);
    w.U64(p.codeBytesMax);
    w.U64(p.storageKeyBytesMax);
    w.U64(p.storageValueBytesMax);
    w.U32(p.eventsPerTxMax);
}

} // namespace canon
