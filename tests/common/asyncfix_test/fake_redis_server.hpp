#pragma once
// A scripted stand-in for redis-server on a unix socket in a private temporary directory: one
// client, requests parsed as RESP arrays, replies written byte for byte when the script says so.
// Lets the connection's logic be tested without a server (late, partial, error replies, a close).
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace asyncfix_test {

class FakeRedisServer {
 public:
  /// One step of the script, run on the server's thread in order.
  using Step = std::function<void(FakeRedisServer&)>;

  /// How the server listens and accepts.
  struct Listening {
    int backlog = 4;  ///< listen()'s; with 0 a second pending client finds the queue full
    std::chrono::milliseconds accept_delay{0};  ///< before the first accept
    int ignored_clients = 0;                    ///< accepted and left alone before the scripted one
  };

  explicit FakeRedisServer(std::vector<Step> script) : FakeRedisServer(std::move(script), {}) {}
  FakeRedisServer(std::vector<Step> script, Listening listening)
      : script_(std::move(script)), listening_(listening) {
    std::string dir_template = "/tmp/afx-fake-XXXXXX";
    if (::mkdtemp(dir_template.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    dir_ = dir_template;
    path_ = dir_ + "/redis.sock";
    listener_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    path_.copy(address.sun_path, sizeof(address.sun_path) - 1);
    if (::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
        ::listen(listener_, listening_.backlog) != 0) {
      throw std::runtime_error("cannot listen on " + path_);
    }
    thread_ = std::thread([this] { serve(); });
  }
  ~FakeRedisServer() {
    ::shutdown(listener_, SHUT_RDWR);  // an accept still waiting returns
    finish();
    ::close(listener_);
    std::filesystem::remove_all(dir_);
  }
  FakeRedisServer(const FakeRedisServer&) = delete;
  FakeRedisServer& operator=(const FakeRedisServer&) = delete;

  [[nodiscard]] std::string url() const { return "unix://" + path_; }
  [[nodiscard]] const std::string& socket_path() const { return path_; }

  /// Waits for the script to end (and closes the client's socket).
  void finish() {
    if (thread_.joinable()) thread_.join();
    if (client_ >= 0) ::close(client_);
    client_ = -1;
  }

  /// Every request the server read, as its words ("GET k").
  [[nodiscard]] std::vector<std::string> requests() {
    std::lock_guard lock(mutex_);
    return requests_;
  }

  /// Lets a step that waits for it (wait_for_signal) go on.
  void signal() {
    std::lock_guard lock(mutex_);
    signalled_ = true;
    cv_.notify_all();
  }

  // Steps.
  static Step read_request() {
    return [](FakeRedisServer& s) { s.read_one(); };
  }
  static Step reply(std::string bytes) {
    return [bytes](FakeRedisServer& s) { s.write_all(bytes); };
  }
  static Step pause(std::chrono::milliseconds how_long) {
    return [how_long](FakeRedisServer&) { std::this_thread::sleep_for(how_long); };
  }
  static Step wait_for_signal() {
    return [](FakeRedisServer& s) {
      std::unique_lock lock(s.mutex_);
      s.cv_.wait_for(lock, std::chrono::seconds(10), [&] { return s.signalled_; });
      s.signalled_ = false;
    };
  }
  static Step close_client() {
    return [](FakeRedisServer& s) {
      ::close(s.client_);
      s.client_ = -1;
    };
  }

 private:
  void serve() {
    std::this_thread::sleep_for(listening_.accept_delay);
    for (int i = 0; i < listening_.ignored_clients; ++i) {
      const int ignored = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
      if (ignored >= 0) ::close(ignored);
    }
    client_ = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    for (auto& step : script_) {
      if (client_ < 0) break;
      step(*this);
    }
  }

  /// One byte, waiting at most 10 s; nullopt when the client is gone.
  std::optional<char> next_byte() {
    if (pos_ == buffer_.size()) {
      pollfd readable{client_, POLLIN, 0};
      if (::poll(&readable, 1, 10'000) <= 0) return std::nullopt;
      char chunk[4096];
      const auto n = ::read(client_, chunk, sizeof(chunk));
      if (n <= 0) return std::nullopt;
      buffer_.assign(chunk, chunk + n);
      pos_ = 0;
    }
    return buffer_[pos_++];
  }
  std::optional<std::string> line() {
    std::string text;
    while (auto c = next_byte()) {
      if (*c == '\n' && !text.empty() && text.back() == '\r') {
        text.pop_back();
        return text;
      }
      text += *c;
    }
    return std::nullopt;
  }
  void read_one() {
    auto header = line();
    if (!header || header->empty() || (*header)[0] != '*') return;
    std::string words;
    const int count = std::stoi(header->substr(1));
    for (int i = 0; i < count; ++i) {
      auto length = line();
      auto word = line();
      if (!length || !word) return;
      words += (i == 0 ? "" : " ") + *word;
    }
    std::lock_guard lock(mutex_);
    requests_.push_back(words);
  }
  void write_all(const std::string& bytes) {
    std::size_t done = 0;
    while (done < bytes.size()) {
      const auto n = ::send(client_, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
      if (n <= 0) return;
      done += static_cast<std::size_t>(n);
    }
  }

  std::vector<Step> script_;
  Listening listening_;
  std::string dir_;
  std::string path_;
  int listener_ = -1;
  int client_ = -1;
  std::vector<char> buffer_;
  std::size_t pos_ = 0;
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool signalled_ = false;
  std::vector<std::string> requests_;
};

}  // namespace asyncfix_test
