// The PostgreSQL component from an install: one PgTest, the issue's own example.
#include <asyncfix/asyncfix.hpp>
#include <asyncfix/pg/pg.hpp>

class Orders : public asyncfix::pg::PgTest {};

ASYNC_TEST_F(Orders, InsertThenSelect) {
  co_await pg().execute("CREATE TABLE orders (id int PRIMARY KEY, item text, note text)");
  auto n = co_await pg().execute("INSERT INTO orders VALUES ($1, $2, NULL)", 1, "tea");
  CO_ASSERT_EQ(n, 1);
  auto rows = co_await pg().query("SELECT id, item, note FROM orders WHERE id = $1", 1);
  CO_ASSERT_EQ(rows.size(), 1u);
  CO_ASSERT_EQ(rows[0].get<int>(0), 1);
  CO_ASSERT_EQ(rows[0].get<std::string>("item"), "tea");
  CO_ASSERT_FALSE(rows[0].get<std::optional<std::string>>("note").has_value());
}
