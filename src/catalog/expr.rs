//! Expressions kept as libpg_query nodes: walking them, printing them back,
//! and the little typing PostgreSQL's checks need (literal types, function
//! volatility, sequences named by `nextval`).

use std::sync::LazyLock;

use pg_query::NodeEnum;
use pg_query::protobuf::{self, Node, SelectStmt};

use super::builtins::BUILTINS;
use super::names::{QualName, qual_from_list, str_of};
use super::types::ColType;

/// Visits the children of a node. One list serves the shared and the
/// mutable walk, so they cannot drift apart.
macro_rules! for_each_child {
    ($n:expr, $f:ident, $iter:ident, $as:ident, $select:ident) => {
        match $n {
            NodeEnum::AExpr(x) => {
                if let Some(c) = x.lexpr.$as() {
                    $f(c);
                }
                if let Some(c) = x.rexpr.$as() {
                    $f(c);
                }
            }
            NodeEnum::BoolExpr(x) => x.args.$iter().for_each(|c| $f(c)),
            NodeEnum::FuncCall(x) => {
                x.args.$iter().for_each(|c| $f(c));
                x.agg_order.$iter().for_each(|c| $f(c));
                if let Some(c) = x.agg_filter.$as() {
                    $f(c);
                }
                if let Some(w) = x.over.$as() {
                    w.partition_clause.$iter().for_each(|c| $f(c));
                    w.order_clause.$iter().for_each(|c| $f(c));
                    if let Some(c) = w.start_offset.$as() {
                        $f(c);
                    }
                    if let Some(c) = w.end_offset.$as() {
                        $f(c);
                    }
                }
            }
            NodeEnum::TypeCast(x) => {
                if let Some(c) = x.arg.$as() {
                    $f(c);
                }
            }
            NodeEnum::AIndirection(x) => {
                if let Some(c) = x.arg.$as() {
                    $f(c);
                }
                x.indirection.$iter().for_each(|c| $f(c));
            }
            NodeEnum::AIndices(x) => {
                if let Some(c) = x.lidx.$as() {
                    $f(c);
                }
                if let Some(c) = x.uidx.$as() {
                    $f(c);
                }
            }
            NodeEnum::AArrayExpr(x) => x.elements.$iter().for_each(|c| $f(c)),
            NodeEnum::SubLink(x) => {
                if let Some(c) = x.testexpr.$as() {
                    $f(c);
                }
                if let Some(c) = x.subselect.$as() {
                    $f(c);
                }
            }
            NodeEnum::CaseExpr(x) => {
                if let Some(c) = x.arg.$as() {
                    $f(c);
                }
                x.args.$iter().for_each(|c| $f(c));
                if let Some(c) = x.defresult.$as() {
                    $f(c);
                }
            }
            NodeEnum::CaseWhen(x) => {
                if let Some(c) = x.expr.$as() {
                    $f(c);
                }
                if let Some(c) = x.result.$as() {
                    $f(c);
                }
            }
            NodeEnum::CoalesceExpr(x) => x.args.$iter().for_each(|c| $f(c)),
            NodeEnum::MinMaxExpr(x) => x.args.$iter().for_each(|c| $f(c)),
            NodeEnum::NullTest(x) => {
                if let Some(c) = x.arg.$as() {
                    $f(c);
                }
            }
            NodeEnum::BooleanTest(x) => {
                if let Some(c) = x.arg.$as() {
                    $f(c);
                }
            }
            NodeEnum::RowExpr(x) => x.args.$iter().for_each(|c| $f(c)),
            NodeEnum::CollateClause(x) => {
                if let Some(c) = x.arg.$as() {
                    $f(c);
                }
            }
            NodeEnum::NamedArgExpr(x) => {
                if let Some(c) = x.arg.$as() {
                    $f(c);
                }
            }
            NodeEnum::XmlExpr(x) => {
                x.args.$iter().for_each(|c| $f(c));
                x.named_args.$iter().for_each(|c| $f(c));
            }
            NodeEnum::ResTarget(x) => {
                if let Some(c) = x.val.$as() {
                    $f(c);
                }
                x.indirection.$iter().for_each(|c| $f(c));
            }
            NodeEnum::SortBy(x) => {
                if let Some(c) = x.node.$as() {
                    $f(c);
                }
            }
            NodeEnum::List(x) => x.items.$iter().for_each(|c| $f(c)),
            NodeEnum::GroupingSet(x) => x.content.$iter().for_each(|c| $f(c)),
            NodeEnum::SelectStmt(x) => $select(x, $f),
            NodeEnum::RangeSubselect(x) => {
                if let Some(c) = x.subquery.$as() {
                    $f(c);
                }
            }
            NodeEnum::RangeFunction(x) => {
                x.functions.$iter().for_each(|c| $f(c));
                x.coldeflist.$iter().for_each(|c| $f(c));
            }
            NodeEnum::JoinExpr(x) => {
                if let Some(c) = x.larg.$as() {
                    $f(c);
                }
                if let Some(c) = x.rarg.$as() {
                    $f(c);
                }
                if let Some(c) = x.quals.$as() {
                    $f(c);
                }
            }
            NodeEnum::CommonTableExpr(x) => {
                if let Some(c) = x.ctequery.$as() {
                    $f(c);
                }
            }
            NodeEnum::RangeTableSample(x) => {
                if let Some(c) = x.relation.$as() {
                    $f(c);
                }
                x.args.$iter().for_each(|c| $f(c));
            }
            NodeEnum::ColumnDef(x) => {
                if let Some(c) = x.raw_default.$as() {
                    $f(c);
                }
            }
            _ => {}
        }
    };
}

macro_rules! for_each_select_child {
    ($s:expr, $f:ident, $iter:ident, $as:ident, $recurse:ident) => {{
        let s = $s;
        s.distinct_clause.$iter().for_each(|c| $f(c));
        s.target_list.$iter().for_each(|c| $f(c));
        s.from_clause.$iter().for_each(|c| $f(c));
        if let Some(c) = s.where_clause.$as() {
            $f(c);
        }
        s.group_clause.$iter().for_each(|c| $f(c));
        if let Some(c) = s.having_clause.$as() {
            $f(c);
        }
        s.window_clause.$iter().for_each(|c| $f(c));
        s.values_lists.$iter().for_each(|c| $f(c));
        s.sort_clause.$iter().for_each(|c| $f(c));
        if let Some(c) = s.limit_offset.$as() {
            $f(c);
        }
        if let Some(c) = s.limit_count.$as() {
            $f(c);
        }
        if let Some(w) = s.with_clause.$as() {
            w.ctes.$iter().for_each(|c| $f(c));
        }
        if let Some(l) = s.larg.$as() {
            $recurse(l, $f);
        }
        if let Some(r) = s.rarg.$as() {
            $recurse(r, $f);
        }
    }};
}

/// Pre-order walk over every node below (and including) `node`.
pub fn walk(node: &Node, f: &mut dyn FnMut(&NodeEnum)) {
    if let Some(n) = node.node.as_ref() {
        walk_enum(n, f);
    }
}

pub fn walk_enum(n: &NodeEnum, f: &mut dyn FnMut(&NodeEnum)) {
    f(n);
    let mut visit = |c: &Node| walk(c, f);
    let visit = &mut visit;
    for_each_child!(n, visit, iter, as_ref, walk_select_children);
}

pub fn walk_select(s: &SelectStmt, f: &mut dyn FnMut(&NodeEnum)) {
    let mut visit = |c: &Node| walk(c, f);
    let visit = &mut visit;
    walk_select_children(s, visit);
}

fn walk_select_children(s: &SelectStmt, visit: &mut dyn FnMut(&Node)) {
    for_each_select_child!(s, visit, iter, as_ref, walk_select_children);
}

/// Mutable pre-order walk.
pub fn walk_mut(node: &mut Node, f: &mut dyn FnMut(&mut NodeEnum)) {
    if let Some(n) = node.node.as_mut() {
        walk_enum_mut(n, f);
    }
}

pub fn walk_enum_mut(n: &mut NodeEnum, f: &mut dyn FnMut(&mut NodeEnum)) {
    f(n);
    let mut visit = |c: &mut Node| walk_mut(c, f);
    let visit = &mut visit;
    for_each_child!(n, visit, iter_mut, as_mut, walk_select_children_mut);
}

fn walk_select_children_mut(s: &mut SelectStmt, visit: &mut dyn FnMut(&mut Node)) {
    for_each_select_child!(s, visit, iter_mut, as_mut, walk_select_children_mut);
}

/// Visits the immediate children of a node (a SELECT's clauses included).
pub fn for_each_child_mut(n: &mut NodeEnum, f: &mut dyn FnMut(&mut Node)) {
    for_each_child!(n, f, iter_mut, as_mut, select_children_flat_mut);
}

fn select_children_flat_mut(s: &mut SelectStmt, f: &mut dyn FnMut(&mut Node)) {
    for_each_select_child!(s, f, iter_mut, as_mut, select_children_flat_mut);
}

pub fn node(n: NodeEnum) -> Node {
    Node { node: Some(n) }
}

/// A `String` node: a name part in qualified names and type names.
pub fn string_node(s: &str) -> Node {
    node(NodeEnum::String(pg_query::protobuf::String {
        sval: s.to_string(),
    }))
}

static SELECT_TEMPLATE: LazyLock<Option<SelectStmt>> = LazyLock::new(|| {
    let parsed = pg_query::parse("SELECT 1", 0).ok()?;
    match parsed.protobuf.stmts.into_iter().next()?.stmt?.node? {
        NodeEnum::SelectStmt(s) => Some(*s),
        _ => None,
    }
});

/// Prints an expression back as SQL (through libpg_query's deparser).
pub fn deparse_expr(expr: &Node) -> String {
    let Some(mut select) = SELECT_TEMPLATE.clone() else {
        return "NULL".into();
    };
    select.target_list = vec![node(NodeEnum::ResTarget(Box::new(protobuf::ResTarget {
        val: Some(Box::new(expr.clone())),
        ..Default::default()
    })))];
    match NodeEnum::SelectStmt(Box::new(select)).deparse(Default::default()) {
        Ok(text) => text.strip_prefix("SELECT ").unwrap_or(&text).to_string(),
        Err(_) => "NULL".into(),
    }
}

/// Prints a whole statement node back as SQL.
pub fn deparse_stmt(stmt: &NodeEnum) -> Option<String> {
    stmt.deparse(Default::default()).ok()
}

/// Column references in a single-table expression: `(name, location)` of
/// each unqualified or table-qualified reference (the last field).
pub fn column_refs(expr: &Node) -> Vec<(String, i32)> {
    let mut out = Vec::new();
    walk(expr, &mut |n| {
        if let NodeEnum::ColumnRef(c) = n
            && let Some(last) = c.fields.last().and_then(str_of)
        {
            out.push((last.to_string(), c.location));
        }
    });
    out
}

/// Renames references to column `old` in a single-table expression.
pub fn rename_column_refs(expr: &mut Node, old: &str, new: &str) {
    walk_mut(expr, &mut |n| {
        if let NodeEnum::ColumnRef(c) = n
            && let Some(last) = c.fields.last_mut()
            && let Some(NodeEnum::String(s)) = last.node.as_mut()
            && s.sval == old
        {
            s.sval = new.to_string();
        }
    });
}

/// Functions an expression calls: `(name, argument count, location)`.
pub fn function_calls(expr: &Node) -> Vec<(QualName, usize, i32)> {
    let mut out = Vec::new();
    walk(expr, &mut |n| {
        if let NodeEnum::FuncCall(fc) = n
            && let Some(q) = qual_from_list(&fc.funcname)
        {
            out.push((q, fc.args.len(), fc.location));
        }
    });
    out
}

/// Does the expression contain a subquery, an aggregate or a window call
/// (all forbidden in defaults, checks and index expressions)?
pub fn find_forbidden(expr: &Node) -> Option<(&'static str, i32)> {
    let mut found = None;
    walk(expr, &mut |n| {
        if found.is_some() {
            return;
        }
        match n {
            NodeEnum::SubLink(s) => found = Some(("subquery", s.location)),
            NodeEnum::FuncCall(fc) if fc.over.is_some() => found = Some(("window", fc.location)),
            NodeEnum::FuncCall(fc) => {
                let name = fc.funcname.last().and_then(str_of).unwrap_or("");
                let is_agg = fc.agg_star
                    || fc.agg_distinct
                    || !fc.agg_order.is_empty()
                    || (fc.funcname.len() == 1
                        && BUILTINS
                            .functions(name)
                            .is_some_and(|fs| fs.iter().all(|f| f.kind == 'a')));
                if is_agg {
                    found = Some(("aggregate", fc.location));
                }
            }
            _ => {}
        }
    });
    found
}

/// The sequence a `nextval('name')` call names (PostgreSQL records a
/// dependency on it when the argument is a literal regclass).
pub fn nextval_targets(expr: &Node) -> Vec<QualName> {
    let mut out = Vec::new();
    walk(expr, &mut |n| {
        let NodeEnum::FuncCall(fc) = n else { return };
        let name = fc.funcname.last().and_then(str_of);
        if !matches!(name, Some("nextval")) || fc.args.len() != 1 {
            return;
        }
        let lit = match fc.args[0].node.as_ref() {
            Some(NodeEnum::AConst(c)) => string_const(c),
            Some(NodeEnum::TypeCast(tc)) => {
                let to_regclass = tc
                    .type_name
                    .as_ref()
                    .and_then(|t| t.names.last())
                    .and_then(str_of)
                    == Some("regclass");
                match tc.arg.as_ref().and_then(|a| a.node.as_ref()) {
                    Some(NodeEnum::AConst(c)) if to_regclass => string_const(c),
                    _ => None,
                }
            }
            _ => None,
        };
        if let Some(text) = lit {
            out.push(parse_regclass_literal(&text));
        }
    });
    out
}

/// Reads `'schema.name'` / `'"Name"'` as `regclass` input does.
pub fn parse_regclass_literal(text: &str) -> QualName {
    let mut parts = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(ch) = chars.next() {
        match ch {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            '.' if !quoted => parts.push(std::mem::take(&mut cur)),
            c if quoted => cur.push(c),
            c => cur.extend(c.to_lowercase()),
        }
    }
    parts.push(cur);
    match parts.as_slice() {
        [n] => QualName::bare(n),
        [.., s, n] => QualName::new(Some(s), n),
        [] => QualName::bare(""),
    }
}

pub fn string_const(c: &protobuf::AConst) -> Option<String> {
    match c.val.as_ref()? {
        protobuf::a_const::Val::Sval(s) => Some(s.sval.clone()),
        _ => None,
    }
}

/// The type PostgreSQL gives an expression before coercion, when it is
/// simple enough to know without full analysis. `Some(None)` is an untyped
/// literal (a string or NULL) that coerces to anything.
pub fn literal_type(expr: &Node) -> Option<Option<ColType>> {
    use protobuf::a_const::Val;
    match expr.node.as_ref()? {
        NodeEnum::AConst(c) => {
            if c.isnull {
                return Some(None);
            }
            Some(match c.val.as_ref()? {
                Val::Ival(_) => Some(ColType::builtin("int4")),
                Val::Fval(f) => {
                    // Integer literals too big for int4 arrive as Float.
                    if f.fval.bytes().all(|b| b.is_ascii_digit()) {
                        if f.fval.parse::<i64>().is_ok() {
                            Some(ColType::builtin("int8"))
                        } else {
                            Some(ColType::builtin("numeric"))
                        }
                    } else {
                        Some(ColType::builtin("numeric"))
                    }
                }
                Val::Boolval(_) => Some(ColType::builtin("bool")),
                Val::Sval(_) => None,
                Val::Bsval(_) => Some(ColType::builtin("bit")),
            })
        }
        NodeEnum::SqlvalueFunction(f) => {
            let name = match f.op {
                1 => "date",            // CURRENT_DATE
                2 | 3 => "timetz",      // CURRENT_TIME[(n)]
                4 | 5 => "timestamptz", // CURRENT_TIMESTAMP[(n)]
                6 | 7 => "time",        // LOCALTIME[(n)]
                8 | 9 => "timestamp",   // LOCALTIMESTAMP[(n)]
                _ => "name",            // CURRENT_USER, SESSION_USER, ...
            };
            Some(Some(ColType::builtin(name)))
        }
        NodeEnum::BoolExpr(_) | NodeEnum::NullTest(_) | NodeEnum::BooleanTest(_) => {
            Some(Some(ColType::builtin("bool")))
        }
        _ => None,
    }
}

/// The literal string of an untyped constant, possibly behind a cast to
/// the given type name (`'x'::text` is not untyped).
pub fn untyped_string(expr: &Node) -> Option<String> {
    match expr.node.as_ref()? {
        NodeEnum::AConst(c) => string_const(c),
        _ => None,
    }
}

/// Calls `f(column, literal)` for each untyped string literal an
/// expression compares with a column: `col = 'x'`, `'x' < col`,
/// `col IN ('x', 'y')`, `col BETWEEN 'a' AND 'b'`,
/// `col IS DISTINCT FROM 'x'`. PostgreSQL reads such a literal as a value
/// of the column's type (the comparison operators exist for every type
/// that has them with both operands alike).
pub fn for_each_compared_literal_mut(e: &mut Node, f: &mut dyn FnMut(&str, &mut String)) {
    use protobuf::AExprKind as K;
    fn column(n: &Node) -> Option<String> {
        match n.node.as_ref()? {
            NodeEnum::ColumnRef(c) => c.fields.last().and_then(str_of).map(str::to_string),
            _ => None,
        }
    }
    fn literal(n: &mut Node) -> Option<&mut String> {
        match n.node.as_mut()? {
            NodeEnum::AConst(c) => match c.val.as_mut()? {
                protobuf::a_const::Val::Sval(s) => Some(&mut s.sval),
                _ => None,
            },
            _ => None,
        }
    }
    walk_mut(e, &mut |n| {
        let NodeEnum::AExpr(a) = n else { return };
        let kind = K::try_from(a.kind).unwrap_or(K::Undefined);
        let op = match a.name.as_slice() {
            [one] => str_of(one).unwrap_or(""),
            _ => "",
        };
        match kind {
            K::AexprOp | K::AexprDistinct | K::AexprNotDistinct
                if matches!(op, "=" | "<>" | "!=" | "<" | ">" | "<=" | ">=") =>
            {
                let (Some(l), Some(r)) = (a.lexpr.as_deref_mut(), a.rexpr.as_deref_mut()) else {
                    return;
                };
                if let Some(col) = column(l) {
                    if let Some(lit) = literal(r) {
                        f(&col, lit);
                    }
                } else if let Some(col) = column(r)
                    && let Some(lit) = literal(l)
                {
                    f(&col, lit);
                }
            }
            K::AexprIn
            | K::AexprBetween
            | K::AexprNotBetween
            | K::AexprBetweenSym
            | K::AexprNotBetweenSym => {
                let Some(col) = a.lexpr.as_deref().and_then(column) else {
                    return;
                };
                if let Some(Node {
                    node: Some(NodeEnum::List(list)),
                }) = a.rexpr.as_deref_mut()
                {
                    for item in &mut list.items {
                        if let Some(lit) = literal(item) {
                            f(&col, lit);
                        }
                    }
                }
            }
            _ => {}
        }
    });
}

/// `i` immutable, `s` stable, `v` volatile, for a built-in function called
/// with `nargs` arguments; `None` when unknown or ambiguous.
pub fn builtin_volatility(name: &str, nargs: usize) -> Option<char> {
    let fs = BUILTINS.functions(name)?;
    let mut vols = fs
        .iter()
        .filter(|f| f.nargs as usize == nargs || (f.variadic && nargs + 1 >= f.nargs as usize))
        .flat_map(|f| f.volatility.chars());
    let first = vols.next()?;
    vols.all(|v| v == first).then_some(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expr(sql: &str) -> Node {
        let parsed = pg_query::parse(&format!("SELECT {sql}"), 0).unwrap();
        let Some(NodeEnum::SelectStmt(s)) = parsed.protobuf.stmts[0]
            .stmt
            .as_ref()
            .and_then(|n| n.node.clone())
        else {
            panic!()
        };
        let Some(NodeEnum::ResTarget(rt)) = s.target_list[0].node.clone() else {
            panic!()
        };
        *rt.val.unwrap()
    }

    #[test]
    fn deparses_expressions() {
        assert_eq!(deparse_expr(&expr("now()")), "now()");
        assert_eq!(deparse_expr(&expr("'a'::varchar")), "'a'::varchar");
        assert_eq!(deparse_expr(&expr("a   >  0 AND b<5")), "a > 0 AND b < 5");
    }

    #[test]
    fn finds_and_renames_columns() {
        let mut e = expr("lower(email) || t.name || (SELECT 1)");
        let cols: Vec<String> = column_refs(&e).into_iter().map(|c| c.0).collect();
        assert_eq!(cols, vec!["email", "name"]);
        rename_column_refs(&mut e, "email", "mail");
        assert!(deparse_expr(&e).contains("lower(mail)"));
        assert_eq!(find_forbidden(&e).map(|f| f.0), Some("subquery"));
        assert_eq!(
            find_forbidden(&expr("count(*)")).map(|f| f.0),
            Some("aggregate")
        );
    }

    #[test]
    fn reads_nextval_targets() {
        assert_eq!(
            nextval_targets(&expr("nextval('s.t_id_seq'::regclass)")),
            vec![QualName::new(Some("s"), "t_id_seq")]
        );
        assert_eq!(
            nextval_targets(&expr("nextval('\"Odd\"')")),
            vec![QualName::bare("Odd")]
        );
        assert_eq!(
            parse_regclass_literal("Public.T"),
            QualName::new(Some("public"), "t")
        );
    }

    /// `(column, literal)` pairs of [`for_each_compared_literal_mut`].
    fn compared_literals(e: &Node) -> Vec<(String, String)> {
        let mut copy = e.clone();
        let mut out = Vec::new();
        for_each_compared_literal_mut(&mut copy, &mut |c, l| out.push((c.to_string(), l.clone())));
        out
    }

    #[test]
    fn finds_literals_compared_with_columns() {
        let e = expr("s <> 'c' AND 'a' < t.s AND s IN ('x', 'y') AND n BETWEEN 'p' AND 'q'");
        let pairs: Vec<String> = compared_literals(&e)
            .into_iter()
            .map(|(c, l)| format!("{c}:{l}"))
            .collect();
        assert_eq!(pairs, ["s:c", "s:a", "s:x", "s:y", "n:p", "n:q"]);
        // Other operators may take a literal of another type (`jsonb ? text`).
        assert!(compared_literals(&expr("j ? 'k' AND name LIKE 'a%'")).is_empty());
    }

    #[test]
    fn volatility_of_builtins() {
        assert_eq!(builtin_volatility("now", 0), Some('s'));
        assert_eq!(builtin_volatility("lower", 1), Some('i'));
        assert_eq!(builtin_volatility("random", 0), Some('v'));
        assert_eq!(builtin_volatility("to_tsvector", 2), Some('i'));
        assert_eq!(builtin_volatility("to_tsvector", 1), Some('s'));
    }
}
