#pragma once
/// @file
/// The raw floor the Redis throughput benchmark compares asyncfix against: hiredis 0.14's async
/// API driven by Asio with nothing else. A `posix::stream_descriptor` adapter for the five
/// callbacks, one `async_initiate` per command whose handler travels through hiredis's privdata
/// and is invoked in the reply callback. No timeouts, no loop checks, no names, no error classes:
/// what a test author would write by hand on one io_context.
///
/// Commands go through hiredis's own formatter (redisAsyncCommandArgv), as such code would. With
/// Formatter::own they are written as RESP on the stack instead (redisAsyncFormattedCommand), as
/// asyncfix does: the floor to measure the framework's own cost against, formatter for formatter.

#include <hiredis/async.h>
#include <hiredis/hiredis.h>
#include <boost/asio/async_result.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <charconv>
#include <cstddef>
#include <cstring>
#include <stdexcept>
#include <string>
#include <utility>

namespace bench::raw {

/// How the floor turns a command into bytes.
enum class Formatter {
  hiredis,  ///< redisAsyncCommandArgv
  own,      ///< RESP written on the stack, sent with redisAsyncFormattedCommand
};

/// One hiredis async connection on one io_context (single-threaded use only).
class Connection {
 public:
  /// Connects to the unix socket `path`, running `io` until connected (throws on failure).
  Connection(boost::asio::io_context& io, const std::string& path,
             Formatter formatter = Formatter::hiredis)
      : socket_(io), formatter_(formatter) {
    context_ = redisAsyncConnectUnix(path.c_str());
    if (context_ == nullptr || context_->err != 0) {
      throw std::runtime_error("raw floor: cannot connect to " + path);
    }
    socket_.assign(context_->c.fd);
    context_->data = this;
    context_->ev.data = this;
    context_->ev.addRead = [](void* self) { static_cast<Connection*>(self)->want(true, true); };
    context_->ev.delRead = [](void* self) { static_cast<Connection*>(self)->want(true, false); };
    context_->ev.addWrite = [](void* self) { static_cast<Connection*>(self)->want(false, true); };
    context_->ev.delWrite = [](void* self) { static_cast<Connection*>(self)->want(false, false); };
    context_->ev.cleanup = [](void* self) { static_cast<Connection*>(self)->on_cleanup(); };
    redisAsyncSetConnectCallback(context_, [](const redisAsyncContext* c, int status) {
      static_cast<Connection*>(c->data)->connected_ = status == REDIS_OK ? 1 : -1;
    });
    while (connected_ == 0 && io.run_one() > 0) {
    }
    if (connected_ != 1) throw std::runtime_error("raw floor: connect to " + path + " failed");
  }
  ~Connection() {
    if (context_ != nullptr) redisAsyncFree(context_);
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  /// Sends argv and completes with the reply's type and text (empty for non-strings).
  template <class Token>
  auto command(int argc, const char** argv, const std::size_t* lengths, Token&& token) {
    return boost::asio::async_initiate<Token, void(std::exception_ptr, int, std::string)>(
        [this, argc, argv, lengths](auto handler) {
          using Handler = decltype(handler);
          auto* op = new Handler(std::move(handler));
          auto on_reply = [](redisAsyncContext*, void* raw, void* privdata) {
            auto* h = static_cast<Handler*>(privdata);
            Handler local(std::move(*h));
            delete h;
            const auto* reply = static_cast<const redisReply*>(raw);
            if (reply == nullptr) {
              std::move(local)(std::make_exception_ptr(std::runtime_error("disconnected")), 0,
                               std::string());
              return;
            }
            std::string text =
                reply->type == REDIS_REPLY_STRING || reply->type == REDIS_REPLY_STATUS
                    ? std::string(reply->str, reply->len)
                    : std::string();
            std::move(local)(nullptr, reply->type, std::move(text));
          };
          if (send(on_reply, op, argc, argv, lengths) != REDIS_OK) {
            Handler local(std::move(*op));
            delete op;
            std::move(local)(std::make_exception_ptr(std::runtime_error("refused")), 0,
                             std::string());
          }
        },
        token);
  }

 private:
  int send(redisCallbackFn* on_reply, void* op, int argc, const char** argv,
           const std::size_t* lengths) {
    if (formatter_ == Formatter::hiredis) {
      return redisAsyncCommandArgv(context_, on_reply, op, argc, argv, lengths);
    }
    std::size_t size = 24;
    for (int i = 0; i < argc; ++i) size += lengths[i] + 26;
    std::string heap;
    char stack[512];
    char* const start = size <= sizeof stack ? stack : (heap.resize(size), heap.data());
    char* out = start;
    const auto header = [&out](char marker, std::size_t n) {
      *out++ = marker;
      out = std::to_chars(out, out + 20, n).ptr;
      *out++ = '\r';
      *out++ = '\n';
    };
    header('*', static_cast<std::size_t>(argc));
    for (int i = 0; i < argc; ++i) {
      header('$', lengths[i]);
      std::memcpy(out, argv[i], lengths[i]);
      out += lengths[i];
      *out++ = '\r';
      *out++ = '\n';
    }
    return redisAsyncFormattedCommand(context_, on_reply, op, start,
                                      static_cast<std::size_t>(out - start));
  }

  void want(bool read, bool on) {
    bool& wanted = read ? want_read_ : want_write_;
    wanted = on;
    if (on) arm(read);
  }
  void arm(bool read) {
    bool& armed = read ? reading_ : writing_;
    if (armed || context_ == nullptr) return;
    armed = true;
    socket_.async_wait(read ? boost::asio::posix::stream_descriptor::wait_read
                            : boost::asio::posix::stream_descriptor::wait_write,
                       [this, read](boost::system::error_code ec) {
                         (read ? reading_ : writing_) = false;
                         if (ec || context_ == nullptr) return;
                         if (read && want_read_) redisAsyncHandleRead(context_);
                         if (!read && want_write_) redisAsyncHandleWrite(context_);
                         if (context_ != nullptr && (read ? want_read_ : want_write_)) arm(read);
                       });
  }
  void on_cleanup() {
    if (socket_.is_open()) socket_.release();
    context_ = nullptr;
  }

  boost::asio::posix::stream_descriptor socket_;
  redisAsyncContext* context_ = nullptr;
  bool reading_ = false;
  bool writing_ = false;
  bool want_read_ = false;
  bool want_write_ = false;
  int connected_ = 0;
  Formatter formatter_;
};

}  // namespace bench::raw
