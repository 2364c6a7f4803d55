#pragma once
/// @file
/// ThrownAt: the line of the co_await an exception came from, when asyncfix knows it.

namespace asyncfix {

class ThrownAt;
namespace detail {
/// asyncfix's own hook: records the line on an exception it did not construct (a copied
/// RedisError, a LoopMismatch from handler tracking).
void set_thrown_at(ThrownAt& error, const char* file, int line) noexcept;
}  // namespace detail

/// A base of the exceptions that know which line of the test started what failed: a RedisError
/// from a command knows the line of its `co_await redis().…`, a LoopMismatch the line of the use.
/// AsyncTest reports an exception escaping a body at that line (and says it in the message)
/// instead of at the test's own line.
class ThrownAt {
 public:
  /// The file of that line (as the compiler spelled it), or null when unknown.
  [[nodiscard]] const char* thrown_file() const noexcept { return file_; }
  /// The line, or 0 when unknown.
  [[nodiscard]] int thrown_line() const noexcept { return line_; }

 protected:
  /// Records the line; the first one recorded stays. `file` must outlive the exception (a
  /// std::source_location's file name does). For a derived type's constructor.
  void set_thrown_at(const char* file, int line) noexcept {
    if (file_ != nullptr || file == nullptr || *file == '\0') return;
    file_ = file;
    line_ = line;
  }

  ThrownAt() = default;
  ~ThrownAt() = default;
  ThrownAt(const ThrownAt&) = default;
  ThrownAt& operator=(const ThrownAt&) = default;

 private:
  friend void detail::set_thrown_at(ThrownAt&, const char*, int) noexcept;
  const char* file_ = nullptr;
  int line_ = 0;
};

inline void detail::set_thrown_at(ThrownAt& error, const char* file, int line) noexcept {
  error.set_thrown_at(file, line);
}

}  // namespace asyncfix
