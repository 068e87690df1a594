// Status and Result: expected failures as values (DESIGN.md 4.6).
//
// Everything that comes from a peer or a file may be wrong; such input becomes a Status with a
// code and a human-readable reason, never a crash or an exception. Broken internal invariants
// are CANON_ASSERT failures instead (they stay on in release builds).
//
// Status is a small value type, cheap to move; Result<T> holds either a T or a non-OK Status.
#ifndef CANONSIM_CORE_STATUS_H
#define CANONSIM_CORE_STATUS_H

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <utility>

namespace canon
{

enum class StatusCode
{
    kOk = 0,
    kMalformed, // bytes that do not decode: truncated, oversize, trailing, unknown version
    kInvalid,   // decodes but breaks a protocol rule (bad signature, nonce, overspend, ...)
    kUnknownParent,
    kDuplicate,
    kResourceLimit, // a named bound was hit (cache, pool, block size)
    kNotFound,
    kIoError,
    kTooEarly, // valid-looking but not yet: a block whose slot has not started here
};

const char* StatusCodeName(StatusCode code);

class Status
{
  public:
    Status() = default;
    Status(StatusCode code, std::string message)
      : m_code(code)
      , m_message(std::move(message))
    {
    }

    static Status Ok() { return Status(); }
    static Status Malformed(std::string m) { return Status(StatusCode::kMalformed, std::move(m)); }
    static Status Invalid(std::string m) { return Status(StatusCode::kInvalid, std::move(m)); }

    bool IsOk() const { return m_code == StatusCode::kOk; }
    StatusCode Code() const { return m_code; }
    const std::string& Message() const { return m_message; }
    // "invalid: nonce 3 expected 2"
    std::string ToString() const;

  private:
    StatusCode m_code = StatusCode::kOk;
    std::string m_message;
};

template <typename T>
class Result
{
  public:
    Result(T value)
      : m_value(std::move(value))
    {
    }
    Result(Status status)
      : m_status(std::move(status))
    {
    }

    bool IsOk() const { return m_status.IsOk(); }
    const Status& GetStatus() const { return m_status; }
    const T& Value() const& { return *m_value; }
    T& Value() & { return *m_value; }
    T&& Value() && { return std::move(*m_value); }

  private:
    Status m_status;
    std::optional<T> m_value;
};

[[noreturn]] void AssertionFailed(const char* expr, const char* file, int line, const char* msg);

} // namespace canon

// An internal invariant. Stays on in release builds: a broken invariant in a simulator that
// researchers publish from must stop the run, not skew it.
#define CANON_ASSERT(expr, msg)                                                                    \
    do                                                                                             \
    {                                                                                              \
        if (!(expr))                                                                               \
        {                                                                                          \
            ::canon::AssertionFailed(#expr, __FILE__, __LINE__, msg);                              \
        }                                                                                          \
    } while (false)

#endif
