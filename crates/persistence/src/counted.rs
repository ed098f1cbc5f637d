//! Counts that ride along with the rows they belong to: a correlated sub-select as a column of the
//! read itself, so that a page (or one row) and what is counted per row — visible comments, a
//! meeting's waiting list — come back in one statement instead of one batched query each.

use pnyx_domain::comments::{CommentState, TargetKind};
use sea_orm::sea_query::{Expr, ExprTrait, IntoColumnRef, Query, SelectStatement, SubQueryStatement};
use sea_orm::{ColumnTrait, DbErr, FromQueryResult, QueryResult};
use uuid::Uuid;

use crate::entities::comments;

/// A row read with `K` counts, selected as the columns [`COUNTS`]`[..K]` of the same statement.
#[derive(Debug)]
pub(crate) struct Counted<M, const K: usize> {
    pub model: M,
    pub counts: [u64; K],
}

/// The aliases of the count columns, in order.
pub(crate) const COUNTS: [&str; 3] = ["n0", "n1", "n2"];

impl<M: FromQueryResult, const K: usize> FromQueryResult for Counted<M, K> {
    fn from_query_result(res: &QueryResult, pre: &str) -> Result<Self, DbErr> {
        let mut counts = [0; K];
        for (n, col) in counts.iter_mut().zip(COUNTS) {
            *n = count_at(res, pre, col)?;
        }
        Ok(Self { model: M::from_query_result(res, pre)?, counts })
    }
}

/// The count in column `col` (under the prefix `pre`) of a row: a NULL or a negative number is 0.
pub(crate) fn count_at(res: &QueryResult, pre: &str, col: &str) -> Result<u64, DbErr> {
    let v: Option<i64> = res.try_get(pre, col)?;
    Ok(v.and_then(|v| u64::try_from(v).ok()).unwrap_or(0))
}

/// How many rows of `E` the reader has for the outer query's row `of` (`parent` names it in `E`,
/// `user` the reader), as a scalar sub-select: whether the reader supports it; 0 without a reader.
pub(crate) fn by_reader<E: sea_orm::EntityTrait + Default>(
    reader: Option<pnyx_domain::ids::UserId>,
    parent: E::Column,
    user: E::Column,
    of: impl IntoColumnRef,
) -> Expr {
    match reader {
        Some(reader) => scalar(
            Query::select()
                .expr(Expr::col((E::default(), user)).count())
                .from(E::default())
                .and_where(Expr::col((E::default(), parent)).equals(of))
                .and_where(Expr::col((E::default(), user)).eq(Uuid::from(reader)))
                .to_owned(),
        ),
        None => Expr::val(0_i64),
    }
}

/// A scalar sub-select as an expression.
pub(crate) fn scalar(sub: SelectStatement) -> Expr {
    Expr::from(SubQueryStatement::from(sub))
}

/// The visible comments on the row whose id is `id` (a column of the outer query), by kind.
pub(crate) fn visible_comments(kind: TargetKind, id: impl IntoColumnRef) -> Expr {
    use comments::Column as C;
    scalar(
        Query::select()
            .expr(Expr::col((comments::Entity, C::Id)).count())
            .from(comments::Entity)
            .and_where(Expr::col((comments::Entity, C::TargetKind)).eq(kind.as_str()))
            .and_where(Expr::col((comments::Entity, C::TargetId)).equals(id))
            .and_where(Expr::col((comments::Entity, C::State)).eq(CommentState::Visible.as_str()))
            .to_owned(),
    )
}

/// The alias of the total that rides beside each row of a page ([`total_of`], [`Paged`]).
pub(crate) const TOTAL: &str = "total";

/// How many of `E`'s rows `cond` selects, as a scalar sub-select: to ride beside each row of a
/// page as [`TOTAL`].
pub(crate) fn total_of<E: sea_orm::EntityTrait + Default>(cond: sea_orm::Condition) -> Expr {
    scalar(Query::select().expr(Expr::cust("COUNT(*)")).from(E::default()).cond_where(cond).to_owned())
}

/// A row `R` of a page read with [`total_of`] beside it as [`TOTAL`].
#[derive(Debug)]
pub(crate) struct Paged<R> {
    pub row: R,
    pub total: u64,
}

impl<R: FromQueryResult> FromQueryResult for Paged<R> {
    fn from_query_result(res: &QueryResult, pre: &str) -> Result<Self, DbErr> {
        Ok(Self { row: R::from_query_result(res, pre)?, total: count_at(res, pre, TOTAL)? })
    }
}

/// The rows of a page read with [`total_of`]`(cond)` beside each, and that total. A page with no
/// row has no total beside it (the end of the list, or a cursor no longer selected): only then is
/// it counted on its own.
pub(crate) async fn page_and_total<E, R, C>(
    rows: Vec<Paged<R>>,
    conn: &C,
    cond: sea_orm::Condition,
) -> Result<(Vec<R>, u64), DbErr>
where
    E: sea_orm::EntityTrait,
    E::Model: FromQueryResult + Send + Sync,
    C: sea_orm::ConnectionTrait,
{
    use sea_orm::{PaginatorTrait, QueryFilter};
    let total = match rows.first() {
        Some(r) => r.total,
        None => E::find().filter(cond).count(conn).await?,
    };
    Ok((rows.into_iter().map(|r| r.row).collect(), total))
}

/// A page of `E`'s rows that `cond` selects, by `id` ascending after the cursor, each with the
/// `extras` columns (an expression and its alias) read into `R`, and how many rows `cond` selects
/// in all — in one statement: the total rides beside each row as a scalar sub-select
/// ([`page_and_total`]).
pub(crate) async fn page_by_id<E, R, C>(
    conn: &C,
    cond: sea_orm::Condition,
    id: E::Column,
    after: Option<Uuid>,
    limit: u64,
    extras: Vec<(Expr, &'static str)>,
) -> Result<(Vec<R>, u64), DbErr>
where
    E: sea_orm::EntityTrait + Default,
    E::Model: FromQueryResult + Send + Sync,
    R: FromQueryResult + Send + Sync,
    C: sea_orm::ConnectionTrait,
{
    use sea_orm::{QueryFilter, QueryOrder, QuerySelect};
    let mut q = E::find().filter(cond.clone()).expr_as(total_of::<E>(cond.clone()), TOTAL);
    for (e, alias) in extras {
        q = q.expr_as(e, alias);
    }
    let mut q = q.order_by_asc(id).limit(limit.saturating_add(1));
    if let Some(after) = after {
        q = q.filter(id.gt(after));
    }
    page_and_total::<E, R, _>(q.into_model::<Paged<R>>().all(conn).await?, conn, cond).await
}

/// Reads a parent row left-joined with its children (`select_also`: one row per child, or one
/// with none, the parent's columns repeated on each) as the parent — decoded from the first row
/// only — and its children in the order of the rows; none when there is no parent.
pub(crate) async fn parent_and_children<E, F, P, K, C>(
    q: sea_orm::SelectTwo<E, F>,
    conn: &C,
) -> Result<Option<(P, Vec<K>)>, DbErr>
where
    E: sea_orm::EntityTrait,
    F: sea_orm::EntityTrait,
    P: FromQueryResult,
    K: FromQueryResult,
    C: sea_orm::ConnectionTrait,
{
    use sea_orm::{IdenStatic, QueryTrait, SelectA, SelectB};
    let rows = conn.query_all(&q.into_query()).await?;
    let Some(first) = rows.first() else { return Ok(None) };
    let parent = P::from_query_result(first, SelectA.as_str())?;
    let mut children = Vec::with_capacity(rows.len());
    for row in &rows {
        children.extend(K::from_query_result_optional(row, SelectB.as_str())?);
    }
    Ok(Some((parent, children)))
}
