// What a server leaves in System V shared memory: a PostgreSQL restart waits for the old
// postmaster's block to have no process attached, since the new postmaster refuses to start
// beside one (PostgresServer::restart).
#include "support/shared_memory.hpp"

#include <gtest/gtest.h>

#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>

namespace {

using asyncfix::detail::attachments_to_memory_of;
using asyncfix::detail::wait_memory_released;
using namespace std::chrono_literals;

/// A child that creates a block, attaches it, marks it for removal and exits at once: its id, and
/// the child's pid (already reaped). The block lives while something is attached.
struct Created {
  int id = -1;
  pid_t creator = -1;
};

Created block_of_a_child_that_exited() {
  int ids[2];
  if (::pipe(ids) != 0) return {};
  const pid_t child = ::fork();
  if (child == 0) {
    const int id = ::shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
    if (id >= 0) (void)::shmat(id, nullptr, 0);
    (void)::write(ids[1], &id, sizeof id);
    ::_exit(0);
  }
  ::close(ids[1]);
  Created created{-1, child};
  if (::read(ids[0], &created.id, sizeof created.id) != sizeof created.id) created.id = -1;
  ::close(ids[0]);
  int status = 0;
  ::waitpid(child, &status, 0);
  return created;
}

TEST(SharedMemory, ABlockWhoseCreatorIsGoneCountsWhileAnotherProcessHoldsIt) {
  const auto created = block_of_a_child_that_exited();
  ASSERT_GE(created.id, 0) << "shmget failed in the child";
  // Attached here too, as a backend holds its postmaster's block; then marked for removal, so
  // it goes with the last detach.
  void* held = ::shmat(created.id, nullptr, 0);
  ASSERT_NE(held, reinterpret_cast<void*>(-1));
  ASSERT_EQ(::shmctl(created.id, IPC_RMID, nullptr), 0);

  EXPECT_EQ(attachments_to_memory_of(created.creator), 1);
  EXPECT_EQ(wait_memory_released(created.creator, 30ms), 1) << "released while still held";

  ASSERT_EQ(::shmdt(held), 0);
  EXPECT_EQ(attachments_to_memory_of(created.creator), 0);
  EXPECT_EQ(wait_memory_released(created.creator, 30ms), 0);
}

TEST(SharedMemory, AProcessThatCreatedNothingHoldsNothing) {
  EXPECT_EQ(attachments_to_memory_of(::getpid()), 0);
}

}  // namespace
