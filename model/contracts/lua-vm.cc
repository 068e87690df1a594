#include "model/contracts/lua-vm.h"

#include <lua.hpp>

#include <algorithm>
#include <cstdlib>

namespace canon
{

namespace
{

constexpr const char* kChunkName = "=contract";
constexpr std::size_t kReasonBytesMax = 240;
constexpr std::size_t kMethodBytesMax = 64;
constexpr std::size_t kEventNameBytesMax = 64;

// A table key in pairs' order: numbers (by value), then strings (bytewise), then false, true.
struct SortKey
{
    int rank = 0; // 0 number, 1 string, 2 boolean
    bool isInt = false;
    lua_Integer i = 0;
    lua_Number d = 0;
    std::string s;

    bool operator<(const SortKey& o) const
    {
        if (rank != o.rank)
        {
            return rank < o.rank;
        }
        if (rank == 1)
        {
            return s < o.s;
        }
        if (isInt && o.isInt)
        {
            return i < o.i;
        }
        const long double x = isInt ? static_cast<long double>(i) : static_cast<long double>(d);
        const long double y =
            o.isInt ? static_cast<long double>(o.i) : static_cast<long double>(o.d);
        return x < y;
    }
};

class VmCall
{
  public:
    VmCall(const CallContext& ctx, ContractHost& host, Meter& meter, const ContractParams& params)
      : m_ctx(ctx)
      , m_host(host)
      , m_meter(meter)
      , m_params(params)
    {
    }

    VmOutcome Run(const std::string& code, const std::string& method,
                  const std::vector<ContractValue>& args);

    const CallContext m_ctx;
    ContractHost& m_host;
    Meter& m_meter;
    const ContractParams& m_params;
    // Scratch that outlives any longjmp (see the header).
    std::string m_method;
    std::vector<ContractValue> m_args;
    ContractValue m_value;
    ContractValue m_result;
    std::string m_error;
    std::vector<SortKey> m_keys;

  private:
    VmOutcome RunIn(lua_State* L, const std::string& code);
    VmOutcome FromError(lua_State* L, const char* phase);
};

VmCall&
Self(lua_State* L)
{
    return **static_cast<VmCall**>(lua_getextraspace(L));
}

std::string
FatalMessage(RevertKind k, const ContractParams& params)
{
    switch (k)
    {
        case RevertKind::kOutOfGas:
            return "out of gas";
        case RevertKind::kOutOfMemory:
            return "out of memory (limit " + std::to_string(params.memoryBytesMax) + " bytes)";
        case RevertKind::kCallDepth:
            return "call depth over " + std::to_string(params.callDepthMax);
        default:
            return "stopped";
    }
}

int
RaiseFatal(lua_State* L)
{
    VmCall& c = Self(L);
    c.m_error = FatalMessage(c.m_meter.fatal, c.m_params);
    lua_pushlstring(L, c.m_error.data(), c.m_error.size());
    return lua_error(L);
}

// Raises c.m_error as a Lua error.
int
RaiseError(lua_State* L)
{
    VmCall& c = Self(L);
    lua_pushlstring(L, c.m_error.data(), c.m_error.size());
    return lua_error(L);
}

int
Charge(lua_State* L, uint64_t gas)
{
    return Self(L).m_meter.Charge(gas) ? 0 : RaiseFatal(L);
}

void*
Allocate(void* ud, void* ptr, std::size_t osize, std::size_t nsize)
{
    Meter& m = *static_cast<Meter*>(ud);
    const std::size_t old = ptr ? osize : 0;
    if (nsize == 0)
    {
        m.memoryBytes -= old;
        std::free(ptr);
        return nullptr;
    }
    if (nsize > old && nsize - old > m.memoryBytesMax - m.memoryBytes)
    {
        if (m.fatal == RevertKind::kNone)
        {
            m.fatal = RevertKind::kOutOfMemory;
        }
        return nullptr;
    }
    void* p = std::realloc(ptr, nsize);
    if (!p)
    {
        m.fatal = m.fatal == RevertKind::kNone ? RevertKind::kOutOfMemory : m.fatal;
        return nullptr;
    }
    m.memoryBytes = m.memoryBytes - old + nsize;
    m.memoryPeak = std::max(m.memoryPeak, m.memoryBytes);
    return p;
}

void
GasHook(lua_State* L, lua_Debug*)
{
    VmCall& c = Self(L);
    if (c.m_meter.fatal != RevertKind::kNone ||
        !c.m_meter.Charge(static_cast<uint64_t>(kGasHookInstructions) * c.m_params.gas.instruction))
    {
        RaiseFatal(L);
    }
}

// Converts the Lua value at `idx` into `out`; false with c.m_error set when it has no
// deterministic chain form.
bool
ToValue(lua_State* L, int idx, ContractValue& out, const char* what)
{
    switch (lua_type(L, idx))
    {
        case LUA_TNIL:
        case LUA_TNONE:
            out = ContractValue::Nil();
            return true;
        case LUA_TBOOLEAN:
            out = ContractValue::Bool(lua_toboolean(L, idx) != 0);
            return true;
        case LUA_TNUMBER:
            if (!lua_isinteger(L, idx))
            {
                Self(L).m_error = std::string(what) + ": a float is not allowed (use integers)";
                return false;
            }
            out = ContractValue::Int(lua_tointeger(L, idx));
            return true;
        case LUA_TSTRING:
        {
            std::size_t n = 0;
            const char* s = lua_tolstring(L, idx, &n);
            out.kind = ContractValue::Kind::kString;
            out.integer = 0;
            out.bytes.assign(s, n);
            return true;
        }
        default:
            Self(L).m_error = std::string(what) + ": a " + luaL_typename(L, idx) +
                              " cannot leave the contract (nil, boolean, integer or string)";
            return false;
    }
}

void
PushValue(lua_State* L, const ContractValue& v)
{
    switch (v.kind)
    {
        case ContractValue::Kind::kNil:
            lua_pushnil(L);
            return;
        case ContractValue::Kind::kBool:
            lua_pushboolean(L, v.integer != 0);
            return;
        case ContractValue::Kind::kInt:
            lua_pushinteger(L, v.integer);
            return;
        case ContractValue::Kind::kString:
            lua_pushlstring(L, v.bytes.data(), v.bytes.size());
            return;
    }
}

bool
ParseAddress(const char* s, std::size_t n, Address& out)
{
    if (n != 64)
    {
        return false;
    }
    for (std::size_t i = 0; i < 32; ++i)
    {
        uint8_t byte = 0;
        for (std::size_t k = 0; k < 2; ++k)
        {
            const char ch = s[2 * i + k];
            const bool dec = ch >= '0' && ch <= '9';
            const bool hex = ch >= 'a' && ch <= 'f';
            if (!dec && !hex)
            {
                return false;
            }
            byte = static_cast<uint8_t>(byte * 16 + (dec ? ch - '0' : ch - 'a' + 10));
        }
        out[i] = byte;
    }
    return true;
}

// The address argument at `idx`; raises on anything but 64 lowercase hex digits.
Address
CheckAddress(lua_State* L, int idx)
{
    std::size_t n = 0;
    const char* s = luaL_checklstring(L, idx, &n);
    Address a{};
    if (!ParseAddress(s, n, a))
    {
        luaL_argerror(L, idx, "address expected (64 lowercase hex digits)");
    }
    return a;
}

void
PushAddress(lua_State* L, const Address& a)
{
    static const char* kDigits = "0123456789abcdef";
    char buf[64];
    for (std::size_t i = 0; i < 32; ++i)
    {
        buf[2 * i] = kDigits[a[i] >> 4];
        buf[2 * i + 1] = kDigits[a[i] & 15];
    }
    lua_pushlstring(L, buf, sizeof buf);
}

uint64_t
CheckAmount(lua_State* L, int idx, bool allowZero)
{
    if (!lua_isinteger(L, idx))
    {
        luaL_argerror(L, idx, "amount must be an integer");
    }
    const lua_Integer v = lua_tointeger(L, idx);
    if (v < 0 || (v == 0 && !allowZero))
    {
        luaL_argerror(L, idx,
                      allowZero ? "amount must not be negative" : "amount must be positive");
    }
    return static_cast<uint64_t>(v);
}

const char*
CheckBoundedString(lua_State* L, int idx, std::size_t max, std::size_t& n, const char* what)
{
    const char* s = luaL_checklstring(L, idx, &n);
    if (n == 0 || n > max)
    {
        luaL_error(L, "%s must be 1 to %d bytes, not %d", what, static_cast<int>(max),
                   static_cast<int>(n));
    }
    return s;
}

// --- the host API: the global table `chain` ---

bool
DoGet(VmCall& c, const char* key, std::size_t n)
{
    auto r = c.m_host.Get(std::string(key, n));
    if (!r.IsOk())
    {
        c.m_error = r.GetStatus().Message();
        return false;
    }
    c.m_value = r.Value();
    return true;
}

int
LuaGet(lua_State* L)
{
    VmCall& c = Self(L);
    std::size_t n = 0;
    const char* key = CheckBoundedString(L, 1, c.m_params.storageKeyBytesMax, n, "storage key");
    Charge(L, c.m_params.gas.storageRead);
    if (!DoGet(c, key, n))
    {
        return RaiseError(L);
    }
    PushValue(L, c.m_value);
    return 1;
}

bool
DoStatus(VmCall& c, const Status& s)
{
    if (!s.IsOk())
    {
        c.m_error = s.Message();
    }
    return s.IsOk();
}

int
LuaSet(lua_State* L)
{
    VmCall& c = Self(L);
    std::size_t n = 0;
    const char* key = CheckBoundedString(L, 1, c.m_params.storageKeyBytesMax, n, "storage key");
    luaL_checkany(L, 2);
    if (!ToValue(L, 2, c.m_value, "chain.set value"))
    {
        return RaiseError(L);
    }
    if (c.m_value.bytes.size() > c.m_params.storageValueBytesMax)
    {
        return luaL_error(L, "storage value of %d bytes is over the bound of %d",
                          static_cast<int>(c.m_value.bytes.size()),
                          static_cast<int>(c.m_params.storageValueBytesMax));
    }
    const auto& g = c.m_params.gas;
    Charge(L, g.storageWrite + g.storageByte * (n + c.m_value.bytes.size() + 8));
    if (!DoStatus(c, c.m_host.Set(std::string(key, n), c.m_value)))
    {
        return RaiseError(L);
    }
    return 0;
}

int
LuaBalance(lua_State* L)
{
    VmCall& c = Self(L);
    const Address who = lua_isnoneornil(L, 1) ? c.m_ctx.self : CheckAddress(L, 1);
    Charge(L, c.m_params.gas.balance);
    const uint64_t b = c.m_host.Balance(who);
    if (b > static_cast<uint64_t>(LUA_MAXINTEGER))
    {
        return luaL_error(L, "balance over the integer range");
    }
    lua_pushinteger(L, static_cast<lua_Integer>(b));
    return 1;
}

int
LuaTransfer(lua_State* L)
{
    VmCall& c = Self(L);
    const Address to = CheckAddress(L, 1);
    const uint64_t amount = CheckAmount(L, 2, false);
    Charge(L, c.m_params.gas.transfer);
    if (!DoStatus(c, c.m_host.Transfer(to, amount)))
    {
        return RaiseError(L);
    }
    return 0;
}

int
LuaEmit(lua_State* L)
{
    VmCall& c = Self(L);
    std::size_t n = 0;
    const char* name = CheckBoundedString(L, 1, kEventNameBytesMax, n, "event name");
    if (!ToValue(L, 2, c.m_value, "chain.emit data"))
    {
        return RaiseError(L);
    }
    Charge(L, c.m_params.gas.event + c.m_params.gas.storageByte * c.m_value.bytes.size());
    if (!DoStatus(c, c.m_host.Emit(std::string(name, n), c.m_value)))
    {
        return RaiseError(L);
    }
    return 0;
}

int
LuaNotify(lua_State* L)
{
    VmCall& c = Self(L);
    const Address device = CheckAddress(L, 1);
    if (!ToValue(L, 2, c.m_value, "chain.notify data"))
    {
        return RaiseError(L);
    }
    Charge(L, c.m_params.gas.notify + c.m_params.gas.storageByte * c.m_value.bytes.size());
    if (!DoStatus(c, c.m_host.Notify(device, c.m_value)))
    {
        return RaiseError(L);
    }
    return 0;
}

// chain.contribution(account) -> total, epoch (nil when the latest report does not name it)
int
LuaContribution(lua_State* L)
{
    VmCall& c = Self(L);
    const Address who = CheckAddress(L, 1);
    Charge(L, c.m_params.gas.balance);
    uint64_t total = 0;
    uint64_t epoch = 0;
    if (!c.m_host.Contribution(who, total, epoch))
    {
        lua_pushnil(L);
        return 1;
    }
    const auto max = static_cast<uint64_t>(LUA_MAXINTEGER);
    lua_pushinteger(L, static_cast<lua_Integer>(std::min(total, max)));
    lua_pushinteger(L, static_cast<lua_Integer>(std::min(epoch, max)));
    return 2;
}

bool
DoCall(VmCall& c, const Address& contract, uint64_t value)
{
    auto r = c.m_host.Call(contract, c.m_method, c.m_args, value);
    if (!r.IsOk())
    {
        c.m_error = r.GetStatus().Message();
        return false;
    }
    c.m_value = r.Value();
    return true;
}

// chain.call(contract, method, value, args...)
int
LuaCall(lua_State* L)
{
    VmCall& c = Self(L);
    const Address contract = CheckAddress(L, 1);
    std::size_t n = 0;
    const char* method = CheckBoundedString(L, 2, kMethodBytesMax, n, "method name");
    const uint64_t value = CheckAmount(L, 3, true);
    const int top = lua_gettop(L);
    if (top - 3 > static_cast<int>(kContractValuesMax))
    {
        return luaL_error(L, "chain.call: more than %d arguments", int{kContractValuesMax});
    }
    c.m_method.assign(method, n);
    c.m_args.assign(static_cast<std::size_t>(top > 3 ? top - 3 : 0), ContractValue{});
    for (int i = 4; i <= top; ++i)
    {
        if (!ToValue(L, i, c.m_args[static_cast<std::size_t>(i - 4)], "chain.call argument"))
        {
            return RaiseError(L);
        }
    }
    Charge(L, c.m_params.gas.contractCall);
    const bool ok = DoCall(c, contract, value);
    if (c.m_meter.fatal != RevertKind::kNone)
    {
        return RaiseFatal(L);
    }
    if (!ok)
    {
        return RaiseError(L);
    }
    PushValue(L, c.m_value);
    return 1;
}

int
LuaSelf(lua_State* L)
{
    PushAddress(L, Self(L).m_ctx.self);
    return 1;
}

int
LuaCaller(lua_State* L)
{
    PushAddress(L, Self(L).m_ctx.caller);
    return 1;
}

int
LuaOrigin(lua_State* L)
{
    PushAddress(L, Self(L).m_ctx.origin);
    return 1;
}

int
LuaValue(lua_State* L)
{
    lua_pushinteger(L, static_cast<lua_Integer>(Self(L).m_ctx.value));
    return 1;
}

int
LuaHeight(lua_State* L)
{
    lua_pushinteger(L, static_cast<lua_Integer>(Self(L).m_ctx.height));
    return 1;
}

int
LuaNow(lua_State* L)
{
    lua_pushinteger(L, static_cast<lua_Integer>(Self(L).m_ctx.now));
    return 1;
}

const luaL_Reg kChainApi[] = {{"get", LuaGet},         {"set", LuaSet},
                              {"balance", LuaBalance}, {"transfer", LuaTransfer},
                              {"emit", LuaEmit},       {"notify", LuaNotify},
                              {"call", LuaCall},       {"contribution", LuaContribution},
                              {"self", LuaSelf},       {"caller", LuaCaller},
                              {"origin", LuaOrigin},   {"value", LuaValue},
                              {"height", LuaHeight},   {"now", LuaNow},
                              {nullptr, nullptr}};

// --- the library replacements ---

// Calls the original (upvalue 1) with every argument and returns all its results.
int
CallOriginal(lua_State* L)
{
    const int n = lua_gettop(L);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, n, LUA_MULTRET);
    return lua_gettop(L);
}

int
SafeProtectedCall(lua_State* L)
{
    const int results = CallOriginal(L);
    if (Self(L).m_meter.fatal != RevertKind::kNone)
    {
        return RaiseFatal(L);
    }
    return results;
}

int
SafeToString(lua_State* L)
{
    luaL_checkany(L, 1);
    const int t = lua_type(L, 1);
    const bool plain = t == LUA_TNIL || t == LUA_TBOOLEAN || t == LUA_TNUMBER || t == LUA_TSTRING;
    if (plain || luaL_getmetafield(L, 1, "__tostring") != LUA_TNIL)
    {
        luaL_tolstring(L, 1, nullptr);
        return 1;
    }
    lua_pushstring(L, lua_typename(L, t));
    return 1;
}

int
SafeSetMetatable(lua_State* L)
{
    if (lua_type(L, 2) == LUA_TTABLE)
    {
        for (const char* field : {"__gc", "__mode", "__len"})
        {
            if (lua_getfield(L, 2, field) != LUA_TNIL)
            {
                return luaL_error(L, "setmetatable: %s is not allowed in a contract", field);
            }
            lua_pop(L, 1);
        }
    }
    return CallOriginal(L);
}

int
SafeFind(lua_State* L)
{
    lua_settop(L, 3);
    lua_pushboolean(L, 1); // plain: no patterns
    return CallOriginal(L);
}

int
SafeFormat(lua_State* L)
{
    std::size_t n = 0;
    const char* f = luaL_checklstring(L, 1, &n);
    for (std::size_t i = 0; i + 1 < n; ++i)
    {
        if (f[i] != '%')
        {
            continue;
        }
        std::size_t j = i + 1;
        while (j < n && (f[j] == '-' || f[j] == '+' || f[j] == ' ' || f[j] == '#' || f[j] == '0' ||
                         f[j] == '.' || (f[j] >= '1' && f[j] <= '9')))
        {
            ++j;
        }
        if (j < n && f[j] == 'p')
        {
            return luaL_error(L, "string.format: %%p is not allowed in a contract");
        }
        i = j;
    }
    for (int i = 2; i <= lua_gettop(L); ++i)
    {
        const int t = lua_type(L, i);
        if (t != LUA_TNIL && t != LUA_TBOOLEAN && t != LUA_TNUMBER && t != LUA_TSTRING)
        {
            return luaL_error(L, "string.format: a %s argument is not allowed in a contract",
                              lua_typename(L, t));
        }
    }
    return CallOriginal(L);
}

// Bounds a count a library function would loop over without running an instruction.
lua_Integer
BoundedCount(lua_State* L, lua_Integer count, const char* what)
{
    const auto max = static_cast<lua_Integer>(Self(L).m_params.memoryBytesMax);
    if (count > max)
    {
        luaL_error(L, "%s: count %I over the bound %I", what, count, max);
    }
    return count < 0 ? 0 : count;
}

int
SafeRep(lua_State* L)
{
    std::size_t len = 0;
    std::size_t sepLen = 0;
    luaL_checklstring(L, 1, &len);
    const lua_Integer n = BoundedCount(L, luaL_checkinteger(L, 2), "string.rep");
    luaL_optlstring(L, 3, "", &sepLen);
    Charge(L, static_cast<uint64_t>(n) * (len + sepLen + 1) * Self(L).m_params.gas.repeatByte);
    return CallOriginal(L);
}

int
SafeMove(lua_State* L)
{
    const lua_Integer f = luaL_checkinteger(L, 2);
    const lua_Integer e = luaL_checkinteger(L, 3);
    if (e >= f)
    {
        const uint64_t count = static_cast<uint64_t>(e) - static_cast<uint64_t>(f) + 1;
        const lua_Integer bounded = count > static_cast<uint64_t>(LUA_MAXINTEGER)
                                        ? LUA_MAXINTEGER
                                        : static_cast<lua_Integer>(count);
        BoundedCount(L, bounded, "table.move");
        Charge(L, count * Self(L).m_params.gas.moveElement);
    }
    return CallOriginal(L);
}

// pairs(t): the keys of t sorted in C (SortKey order), so neither the order nor the gas of an
// iteration depends on the string hash seed. Gas: pairsKey per key per level of the sort.
bool
CollectKeys(lua_State* L, std::vector<SortKey>& keys)
{
    keys.clear();
    lua_pushnil(L);
    while (lua_next(L, 1) != 0)
    {
        lua_pop(L, 1);
        SortKey k;
        switch (lua_type(L, -1))
        {
            case LUA_TNUMBER:
                k.isInt = lua_isinteger(L, -1) != 0;
                k.i = k.isInt ? lua_tointeger(L, -1) : 0;
                k.d = k.isInt ? 0 : lua_tonumber(L, -1);
                break;
            case LUA_TSTRING:
            {
                std::size_t n = 0;
                const char* p = lua_tolstring(L, -1, &n);
                k.rank = 1;
                k.s.assign(p, n);
                break;
            }
            case LUA_TBOOLEAN:
                k.rank = 2;
                k.i = lua_toboolean(L, -1);
                k.isInt = true;
                break;
            default:
                lua_pop(L, 1);
                return false;
        }
        keys.push_back(std::move(k));
    }
    return true;
}

int
PairsNext(lua_State* L)
{
    const lua_Integer i = lua_tointeger(L, lua_upvalueindex(3)) + 1;
    lua_pushinteger(L, i);
    lua_replace(L, lua_upvalueindex(3));
    if (lua_rawgeti(L, lua_upvalueindex(2), i) == LUA_TNIL)
    {
        return 0;
    }
    lua_pushvalue(L, -1);
    lua_rawget(L, lua_upvalueindex(1));
    return 2;
}

int
SafePairs(lua_State* L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);
    VmCall& c = Self(L);
    if (!CollectKeys(L, c.m_keys))
    {
        return luaL_error(L, "pairs: a key of type %s has no deterministic order",
                          luaL_typename(L, -1));
    }
    uint64_t levels = 1;
    for (std::size_t n = c.m_keys.size(); n > 1; n >>= 1)
    {
        ++levels;
    }
    Charge(L, c.m_keys.size() * levels * c.m_params.gas.pairsKey);
    std::sort(c.m_keys.begin(), c.m_keys.end());
    lua_createtable(L, static_cast<int>(c.m_keys.size()), 0);
    for (std::size_t i = 0; i < c.m_keys.size(); ++i)
    {
        const SortKey& k = c.m_keys[i];
        if (k.rank == 1)
        {
            lua_pushlstring(L, k.s.data(), k.s.size());
        }
        else if (k.rank == 2)
        {
            lua_pushboolean(L, static_cast<int>(k.i));
        }
        else if (k.isInt)
        {
            lua_pushinteger(L, k.i);
        }
        else
        {
            lua_pushnumber(L, k.d);
        }
        lua_rawseti(L, -2, static_cast<lua_Integer>(i + 1));
    }
    lua_pushinteger(L, 0);
    lua_pushcclosure(L, PairsNext, 3);
    return 1;
}

// table.insert, remove, sort and concat loop over #t (which a __len or __index set after
// setmetatable could make huge) without running an instruction: bound the length and charge
// moveElement per element (sort: per element and level) before the original runs.
int
SafeTableLoop(lua_State* L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    const lua_Integer n = BoundedCount(L, luaL_len(L, 1), "table length");
    uint64_t levels = 1;
    for (lua_Integer k = n; k > 1; k >>= 1)
    {
        ++levels;
    }
    Charge(L, static_cast<uint64_t>(n) * levels * Self(L).m_params.gas.moveElement);
    return CallOriginal(L);
}

void
Replace(lua_State* L, const char* name, lua_CFunction f)
{
    lua_getfield(L, -1, name);
    lua_pushcclosure(L, f, 1);
    lua_setfield(L, -2, name);
}

void
Remove(lua_State* L, std::initializer_list<const char*> names)
{
    for (const char* name : names)
    {
        lua_pushnil(L);
        lua_setfield(L, -2, name);
    }
}

void
OpenLibraries(lua_State* L)
{
    luaL_requiref(L, LUA_GNAME, luaopen_base, 1);
    luaL_requiref(L, LUA_TABLIBNAME, luaopen_table, 1);
    luaL_requiref(L, LUA_STRLIBNAME, luaopen_string, 1);
    luaL_requiref(L, LUA_MATHLIBNAME, luaopen_math, 1);
    luaL_requiref(L, LUA_UTF8LIBNAME, luaopen_utf8, 1);
    lua_settop(L, 0);
}

void
SandboxLibraries(lua_State* L)
{
    lua_pushglobaltable(L);
    Remove(L, {"load", "loadfile", "dofile", "require", "collectgarbage", "print", "warn", "next"});
    for (const char* name : {"pcall", "xpcall"})
    {
        Replace(L, name, SafeProtectedCall);
    }
    Replace(L, "setmetatable", SafeSetMetatable);
    lua_pushcfunction(L, SafeToString);
    lua_setfield(L, -2, "tostring");
    lua_pushcfunction(L, SafePairs);
    lua_setfield(L, -2, "pairs");
    lua_getfield(L, -1, LUA_STRLIBNAME);
    Remove(L, {"dump", "match", "gmatch", "gsub"});
    Replace(L, "find", SafeFind);
    Replace(L, "format", SafeFormat);
    Replace(L, "rep", SafeRep);
    lua_pop(L, 1);
    lua_getfield(L, -1, LUA_MATHLIBNAME);
    Remove(L, {"random", "randomseed"});
    lua_pop(L, 1);
    lua_getfield(L, -1, LUA_TABLIBNAME);
    Replace(L, "move", SafeMove);
    for (const char* name : {"insert", "remove", "sort", "concat"})
    {
        Replace(L, name, SafeTableLoop);
    }
    lua_pop(L, 1);
    luaL_newlib(L, kChainApi);
    lua_setfield(L, -2, "chain");
    lua_settop(L, 0);
}

// Under lua_pcall: a memory error while opening is a clean stop, not a panic.
int
Setup(lua_State* L)
{
    OpenLibraries(L);
    SandboxLibraries(L);
    return 0;
}

// Under lua_pcall, with the compiled chunk as argument: runs it, then methods[method](args...).
int
Invoke(lua_State* L)
{
    VmCall& c = Self(L);
    lua_call(L, 0, 1);
    if (lua_type(L, -1) != LUA_TTABLE)
    {
        return luaL_error(L, "the contract must return a table of methods, not a %s",
                          luaL_typename(L, -1));
    }
    const int kind = lua_getfield(L, -1, c.m_method.c_str());
    if (kind == LUA_TNIL && c.m_method == "init")
    {
        return 0; // a contract without init deploys with nothing to run
    }
    if (kind != LUA_TFUNCTION)
    {
        return luaL_error(L, "no method '%s'", c.m_method.c_str());
    }
    luaL_checkstack(L, static_cast<int>(c.m_args.size()) + 1, "arguments");
    for (const auto& a : c.m_args)
    {
        PushValue(L, a);
    }
    lua_call(L, static_cast<int>(c.m_args.size()), 1);
    if (!ToValue(L, -1, c.m_result, "return value"))
    {
        return RaiseError(L);
    }
    return 0;
}

std::string
Truncated(std::string s)
{
    if (s.size() > kReasonBytesMax)
    {
        s.resize(kReasonBytesMax);
        s += "...";
    }
    return s;
}

VmOutcome
FatalOutcome(const Meter& m, const ContractParams& params)
{
    VmOutcome out;
    out.revert = m.fatal;
    out.reason = FatalMessage(m.fatal, params);
    return out;
}

VmOutcome
VmCall::FromError(lua_State* L, const char* phase)
{
    if (m_meter.fatal != RevertKind::kNone)
    {
        return FatalOutcome(m_meter, m_params);
    }
    VmOutcome out;
    out.revert = RevertKind::kError;
    if (lua_type(L, -1) == LUA_TSTRING)
    {
        out.reason = Truncated(std::string(phase) + lua_tostring(L, -1));
    }
    else
    {
        out.reason = std::string(phase) + "error object of type " + luaL_typename(L, -1);
    }
    return out;
}

VmOutcome
VmCall::RunIn(lua_State* L, const std::string& code)
{
    *static_cast<VmCall**>(lua_getextraspace(L)) = this;
    lua_pushcfunction(L, Setup);
    if (lua_pcall(L, 0, 0, 0) != LUA_OK)
    {
        return FromError(L, "sandbox set-up: ");
    }
    lua_sethook(L, GasHook, LUA_MASKCOUNT, kGasHookInstructions);
    lua_pushcfunction(L, Invoke);
    if (luaL_loadbufferx(L, code.data(), code.size(), kChunkName, "t") != LUA_OK)
    {
        return FromError(L, "code does not compile: ");
    }
    if (lua_pcall(L, 1, 0, 0) != LUA_OK)
    {
        return FromError(L, "");
    }
    if (m_meter.fatal != RevertKind::kNone)
    {
        return FatalOutcome(m_meter, m_params);
    }
    VmOutcome out;
    out.result = m_result;
    return out;
}

VmOutcome
VmCall::Run(const std::string& code, const std::string& method,
            const std::vector<ContractValue>& args)
{
    if (method.empty() || method.size() > kMethodBytesMax)
    {
        return VmOutcome{RevertKind::kError, "method name must be 1 to 64 bytes", {}};
    }
    m_method = method;
    m_args = args;
    const auto& g = m_params.gas;
    if (m_meter.fatal != RevertKind::kNone ||
        !m_meter.Charge(g.callBase + g.codeByte * code.size()))
    {
        return FatalOutcome(m_meter, m_params);
    }
    if (m_meter.depth >= m_params.callDepthMax)
    {
        m_meter.fatal = RevertKind::kCallDepth;
        return FatalOutcome(m_meter, m_params);
    }
    lua_State* L = lua_newstate(Allocate, &m_meter);
    if (!L)
    {
        m_meter.fatal = RevertKind::kOutOfMemory;
        return FatalOutcome(m_meter, m_params);
    }
    ++m_meter.depth;
    VmOutcome out = RunIn(L, code);
    lua_close(L);
    --m_meter.depth;
    return out;
}

} // namespace

const char*
RevertKindName(RevertKind k)
{
    switch (k)
    {
        case RevertKind::kNone:
            return "none";
        case RevertKind::kError:
            return "error";
        case RevertKind::kOutOfGas:
            return "out_of_gas";
        case RevertKind::kOutOfMemory:
            return "out_of_memory";
        case RevertKind::kCallDepth:
            return "call_depth";
    }
    return "unknown";
}

bool
Meter::Charge(uint64_t gas)
{
    if (gas > gasLimit - gasUsed)
    {
        gasUsed = gasLimit;
        if (fatal == RevertKind::kNone)
        {
            fatal = RevertKind::kOutOfGas;
        }
        return false;
    }
    gasUsed += gas;
    return true;
}

VmOutcome
RunContract(const std::string& code, const std::string& method,
            const std::vector<ContractValue>& args, const CallContext& ctx, ContractHost& host,
            Meter& meter, const ContractParams& params)
{
    VmCall call(ctx, host, meter, params);
    return call.Run(code, method, args);
}

std::string
AddressToLua(const Address& a)
{
    return ToHex(a);
}

bool
AddressFromLua(const std::string& s, Address& out)
{
    return ParseAddress(s.data(), s.size(), out);
}

} // namespace canon
