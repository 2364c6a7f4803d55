// A helper process for the PostgreSQL multi-process test:
//   pg_child hold-server    start a private PostgreSQL, print its pid and directory, wait
#include <asyncfix/pg/postgres_server.hpp>

#include <chrono>
#include <iostream>
#include <string>
#include <thread>

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  if (mode == "hold-server") {
    auto server = asyncfix::pg::PostgresServer::start();
    std::cout << server->pid() << " " << server->dir().string() << std::endl;
    for (;;) std::this_thread::sleep_for(std::chrono::seconds(1));
  }
  std::cerr << "usage: pg_child hold-server\n";
  return 2;
}
