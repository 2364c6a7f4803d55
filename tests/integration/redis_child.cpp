// A helper process for the multi-process tests:
//   redis_child hold-server          start a private server, print its pid and directory, wait
//   redis_child writer N             write N keys under its own namespace, read them back
#include <asyncfix/asyncfix.hpp>

#include <csignal>
#include <iostream>
#include <thread>

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);
  const std::string mode = argc > 1 ? argv[1] : "";
  if (mode == "hold-server") {
    auto server = asyncfix::redis::RedisServer::start();
    std::cout << server->pid() << " " << server->dir().string() << std::endl;
    for (;;) std::this_thread::sleep_for(std::chrono::seconds(1));
  }
  if (mode == "writer" && argc > 2) {
    const int n = std::stoi(argv[2]);
    asyncfix::redis::RedisManager manager(
        {.url = asyncfix::redis::RedisEnvironment::instance().url()});
    asyncfix::TestLoop loop("writer");
    const std::string prefix =
        std::string(asyncfix::redis::test_key_root) + std::to_string(::getpid()) + ":writer:";
    const int bad = loop.run([](asyncfix::redis::RedisManager& m, std::string p,
                                int count) -> boost::asio::awaitable<int> {
      for (int i = 0; i < count; ++i) co_await m.set(p + std::to_string(i), p + std::to_string(i));
      int mismatches = 0;
      for (int i = 0; i < count; ++i) {
        if (co_await m.get(p + std::to_string(i)) != p + std::to_string(i)) ++mismatches;
        co_await m.del(p + std::to_string(i));
      }
      co_await m.shutdown();
      co_return mismatches;
    }(manager, prefix, n));
    std::cout << "mismatches=" << bad << std::endl;
    return bad == 0 ? 0 : 1;
  }
  std::cerr << "usage: redis_child hold-server | writer N\n";
  return 2;
}
