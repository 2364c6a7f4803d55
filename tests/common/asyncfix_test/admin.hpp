#pragma once
// A blocking side channel to the server, for assertions that must not go through the code under
// test (CLIENT LIST, KEYS, CLIENT KILL).
#include "redis/sync_client.hpp"

#include <chrono>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace asyncfix_test {

/// One blocking connection with helpers for CLIENT LIST.
class Admin {
 public:
  explicit Admin(const asyncfix::redis::RedisUrl& url) : client_(url, std::chrono::seconds(2)) {}

  /// Runs a command; returns the text of a string/status/error reply, the integer as text, or the
  /// number of elements of an array.
  std::string command(const std::vector<std::string>& args) {
    const auto reply = client_.command(args);
    switch (reply.type()) {
      case asyncfix::redis::Reply::Type::integer:
        return std::to_string(reply.as_integer());
      case asyncfix::redis::Reply::Type::array:
        return std::to_string(reply.elements().size());
      default:
        return reply.text();
    }
  }

  /// Connections whose CLIENT SETNAME is exactly `name`.
  int clients_named(const std::string& name) {
    return static_cast<int>(client_ids_named(name).size());
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
    std::istringstream lines(client_.command({"CLIENT", "LIST"}).text());
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
  asyncfix::redis::detail::SyncClient client_;
};

}  // namespace asyncfix_test
