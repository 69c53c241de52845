//! Writes that land together, in as few round trips as the backend allows.
//!
//! A change writes several rows that nothing in it reads back: an idea's project, description
//! and participants, every change's audit entry and event, a stored idempotent reply. Sent one
//! statement at a time, each costs PostgreSQL a round trip (a send, a wait and a context switch
//! on both sides), and on a write path those waits are most of the time. A [`WriteSet`]
//! collects typed diesel statements and sends them to PostgreSQL as one statement, a
//! data-modifying `WITH`: one round trip, and atomic by itself. SQLite has no such statement,
//! and no round trips to save, so it runs them one after another in a transaction.

use diesel::connection::{AnsiTransactionManager, TransactionManager};
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::{QueryResult, RunQueryDsl};

use crate::connection::MultiBackend;
use crate::{DbConnection, StoreError, in_transaction};

/// Write statements that land together or not at all, in the order pushed.
///
/// PostgreSQL runs every statement of one `WITH` on the same snapshot: a statement must not read
/// what an earlier one of the set writes (`INSERT … SELECT` from other tables is fine, and so
/// are foreign keys between the set's rows, which PostgreSQL checks at the end of the
/// statement).
#[derive(Default)]
pub struct WriteSet {
    writes: Vec<Write>,
}

impl WriteSet {
    pub fn push(&mut self, write: impl QueryFragment<MultiBackend> + Send + 'static) {
        self.writes.push(Write(Box::new(write)));
    }

    /// Adds `other`'s statements after this set's.
    pub fn append(&mut self, other: WriteSet) {
        self.writes.extend(other.writes);
    }

    /// Writes them all: atomic whether or not a transaction is open.
    pub fn run(self, conn: &mut DbConnection) -> Result<(), StoreError> {
        match (self.writes.len(), &mut *conn) {
            (0, _) => Ok(()),
            (_, DbConnection::Postgresql(_)) => {
                Together(&self.writes).execute(conn)?;
                Ok(())
            }
            (_, DbConnection::Sqlite(sqlite)) => {
                let open = AnsiTransactionManager::transaction_manager_status_mut(sqlite)
                    .transaction_depth()?
                    .is_some();
                let one_by_one = |conn: &mut DbConnection| {
                    self.writes
                        .into_iter()
                        .try_for_each(|write| write.execute(conn).map(drop))
                        .map_err(StoreError::from)
                };
                if open {
                    one_by_one(conn)
                } else {
                    in_transaction(conn, one_by_one)
                }
            }
        }
    }
}

/// One statement of a set. Its query id is dynamic: diesel then caches the prepared statement
/// by its SQL text, which is the same for every set of the same statements.
struct Write(Box<dyn QueryFragment<MultiBackend> + Send>);

impl QueryFragment<MultiBackend> for Write {
    fn walk_ast<'b>(&'b self, pass: AstPass<'_, 'b, MultiBackend>) -> QueryResult<()> {
        self.0.walk_ast(pass)
    }
}

impl QueryId for Write {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl RunQueryDsl<DbConnection> for Write {}

/// A set as one PostgreSQL statement: `WITH w0 AS (…), w1 AS (…) <last>`.
struct Together<'a>(&'a [Write]);

impl QueryFragment<MultiBackend> for Together<'_> {
    fn walk_ast<'b>(&'b self, mut pass: AstPass<'_, 'b, MultiBackend>) -> QueryResult<()> {
        let Some((last, first)) = self.0.split_last() else {
            return Ok(());
        };
        for (i, write) in first.iter().enumerate() {
            pass.push_sql(if i == 0 { "WITH " } else { ", " });
            pass.push_sql(&format!("w{i} AS ("));
            write.walk_ast(pass.reborrow())?;
            pass.push_sql(")");
        }
        if !first.is_empty() {
            pass.push_sql(" ");
        }
        last.walk_ast(pass.reborrow())
    }
}

impl QueryId for Together<'_> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl RunQueryDsl<DbConnection> for Together<'_> {}
