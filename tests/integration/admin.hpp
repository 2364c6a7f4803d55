#pragma once
// A blocking side channel to the server, for assertions that must not go through the code under
// test (CLIENT LIST, KEYS, CLIENT KILL).
#include <asyncfix/redis/redis_url.hpp>

#include <hiredis/hiredis.h>

#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace asyncfix_test {

/// One blocking hiredis connection.
class Admin {
 public:
  explicit Admin(const asyncfix::redis::RedisUrl& url) {
    timeval timeout{2, 0};
    context_ = url.kind == asyncfix::redis::RedisUrl::Kind::unix_socket
                   ? redisConnectUnixWithTimeout(url.path.c_str(), timeout)
                   : redisConnectWithTimeout(url.host.c_str(), url.port, timeout);
    if (context_ == nullptr || context_->err != 0) {
      throw std::runtime_error("admin connect failed: " + url.redacted());
    }
    redisSetTimeout(context_, timeout);
    if (!url.password.empty()) command({"AUTH", url.password});
  }
  ~Admin() { redisFree(context_); }
  Admin(const Admin&) = delete;
  Admin& operator=(const Admin&) = delete;

  /// Runs a command; returns the string/status/error text, or the integer as text.
  std::string command(const std::vector<std::string>& args) {
    std::vector<const char*> argv;
    std::vector<std::size_t> lengths;
    for (const auto& a : args) {
      argv.push_back(a.data());
      lengths.push_back(a.size());
    }
    auto* reply = static_cast<redisReply*>(
        redisCommandArgv(context_, static_cast<int>(argv.size()), argv.data(), lengths.data()));
    if (reply == nullptr) throw std::runtime_error("admin command failed");
    std::string text;
    if (reply->type == REDIS_REPLY_INTEGER) {
      text = std::to_string(reply->integer);
    } else if (reply->type == REDIS_REPLY_ARRAY) {
      text = std::to_string(reply->elements);
    } else if (reply->str != nullptr) {
      text.assign(reply->str, reply->len);
    }
    freeReplyObject(reply);
    return text;
  }

  /// Connections whose CLIENT SETNAME is exactly `name`.
  int clients_named(const std::string& name) {
    std::istringstream lines(command({"CLIENT", "LIST"}));
    std::string line;
    int count = 0;
    while (std::getline(lines, line)) {
      if (line.find(" name=" + name + " ") != std::string::npos) ++count;
    }
    return count;
  }

  /// clients_named(name), polled until it equals `expected` or `limit_ms` passes (the server
  /// notices a closed socket asynchronously).
  int wait_clients_named(const std::string& name, int expected, int limit_ms = 2000) {
    int count = clients_named(name);
    for (int waited = 0; count != expected && waited < limit_ms; waited += 5) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      count = clients_named(name);
    }
    return count;
  }

  /// Client ids of connections named `name`.
  std::vector<std::string> client_ids_named(const std::string& name) {
    std::istringstream lines(command({"CLIENT", "LIST"}));
    std::string line;
    std::vector<std::string> ids;
    while (std::getline(lines, line)) {
      if (line.find(" name=" + name + " ") == std::string::npos) continue;
      const auto start = line.find("id=") + 3;
      ids.push_back(line.substr(start, line.find(' ', start) - start));
    }
    return ids;
  }

 private:
  redisContext* context_ = nullptr;
};

}  // namespace asyncfix_test
