#pragma once
/// @file
/// Pipeline and Transaction: batches of commands sent in one write, replies in order.

#include <asyncfix/redis/command_args.hpp>
#include <asyncfix/redis/reply.hpp>

#include <boost/asio/awaitable.hpp>

#include <memory>
#include <source_location>
#include <string>
#include <vector>

namespace asyncfix::redis {

class RedisConnection;

namespace detail {
struct ManagerCore;
}  // namespace detail

/// The commands of a batch, added in order. Shared by Pipeline and Transaction.
class CommandBatch {
 public:
  /// Adds one command from its parts (strings, views, literals, numbers); copied at once.
  template <CommandArgument... Args>
  CommandBatch& add(CommandName name, const Args&... args) {
    commands_.push_back(detail::command_parts(name.name, args...));
    return *this;
  }
  /// Adds one command given as its argument vector.
  CommandBatch& add(std::vector<std::string> command) {
    commands_.push_back(std::move(command));
    return *this;
  }
  /// The commands added and not yet sent.
  [[nodiscard]] std::size_t size() const noexcept { return commands_.size(); }

 protected:
  std::vector<std::vector<std::string>> commands_;
};

/// A batch sent in one write on the manager's connection for the running loop, from
/// `RedisManager::pipeline()`:
///
///     auto replies = co_await redis().pipeline().add("SET", k, "v").add("GET", k).exec();
///     // replies[0].text() == "OK", replies[1].text() == "v"
///
/// Other coroutines' commands on the shared connection may land between a pipeline's commands on
/// the server (use Transaction for all-or-nothing). An error reply is a Reply error in its place,
/// not an exception: later commands still ran.
///
/// Threads and lifetimes: build and exec() it on one loop; it holds the manager's shared state,
/// so it may outlive the manager (exec() then throws shut_down). Cancellation: a cancelled exec()
/// resumes at once with operation_aborted; the commands stay on the wire, the connection usable.
class Pipeline : public CommandBatch {
 public:
  /// Adds one command (see CommandBatch::add); returns this pipeline for chaining.
  template <class... Args>
  Pipeline& add(Args&&... args) {
    CommandBatch::add(std::forward<Args>(args)...);
    return *this;
  }

  /// Sends every command in one write and returns their replies in order, then empties the
  /// pipeline. Throws RedisError: invalid_command (empty pipeline, an empty or subscription
  /// command: nothing is sent), timeout, connection_lost, shut_down, connect errors; LoopMismatch.
  boost::asio::awaitable<std::vector<Reply>> exec(
      std::source_location where = std::source_location::current());

 private:
  friend class RedisManager;
  explicit Pipeline(std::shared_ptr<detail::ManagerCore> core) : core_(std::move(core)) {}
  std::shared_ptr<detail::ManagerCore> core_;
};

/// MULTI, the commands, EXEC: all or nothing, and no other coroutine's command runs inside it.
/// From `RedisManager::transaction()` (on the shared connection: the whole batch is queued with
/// nothing in between) or `co_await RedisManager::watch(keys...)` (on a connection of its own,
/// for check-and-set: read with command(), add() the writes, exec()):
///
///     auto tx = co_await redis().watch(key("balance"));
///     auto balance = std::stoll((co_await tx.command("GET", key("balance"))).text());
///     tx.add("SET", key("balance"), balance - 10);
///     try {
///       co_await tx.exec();
///     } catch (const RedisError& e) {
///       if (e.code() != Errc::transaction_aborted) throw;  // the balance changed: retry
///     }
///
/// Threads, lifetimes and cancellation as for Pipeline. A watch() transaction destroyed before
/// exec() or discard() closes its connection (its WATCH state is not given back to the pool).
class Transaction : public CommandBatch {
 public:
  Transaction(Transaction&&) noexcept;
  Transaction& operator=(Transaction&&) noexcept;
  ~Transaction();

  /// Adds one command to run inside MULTI/EXEC (see CommandBatch::add); returns this transaction.
  template <class... Args>
  Transaction& add(Args&&... args) {
    CommandBatch::add(std::forward<Args>(args)...);
    return *this;
  }

  /// Runs one command now, outside the transaction, on the watch() transaction's connection (a
  /// read between WATCH and EXEC). Throws RedisError(invalid_command) on a transaction() without
  /// watch(), whose connection is shared.
  boost::asio::awaitable<Reply> command(
      std::vector<std::string> args, std::source_location where = std::source_location::current());
  /// The same from its parts, no braces.
  template <CommandArgument... Args>
  boost::asio::awaitable<Reply> command(CommandName name, const Args&... args) {
    return command(detail::command_parts(name.name, args...), name.where);
  }

  /// Sends MULTI, the commands and EXEC in one write; returns EXEC's replies in order (a command
  /// that failed when it ran, e.g. WRONGTYPE, is a Reply error in its place: the others ran).
  /// Throws RedisError: transaction_aborted when a WATCHed key changed (nothing ran);
  /// server_error naming the refused command when the server refused one while queueing
  /// (EXECABORT: nothing ran); invalid_command (nothing added, or a subscription command);
  /// timeout, connection_lost, shut_down; LoopMismatch. A watch() transaction gives its
  /// connection back afterwards.
  boost::asio::awaitable<std::vector<Reply>> exec(
      std::source_location where = std::source_location::current());

  /// Ends a watch() transaction without running it (UNWATCH) and gives its connection back.
  boost::asio::awaitable<void> discard(
      std::source_location where = std::source_location::current());

 private:
  friend class RedisManager;
  Transaction(std::shared_ptr<detail::ManagerCore> core,
              std::shared_ptr<RedisConnection> connection);
  std::shared_ptr<detail::ManagerCore> core_;
  std::shared_ptr<RedisConnection> connection_;  ///< watch(): its own; null: the shared one
};

}  // namespace asyncfix::redis
