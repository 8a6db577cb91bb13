//! CREATE INDEX, and the indexes behind PRIMARY KEY, UNIQUE and EXCLUDE.

use pg_query::NodeEnum;
use pg_query::protobuf::{self, IndexElem, IndexStmt, Node};

use super::Applied;
use crate::catalog::Catalog;
use crate::catalog::builtins::{BUILTINS, OpClass};
use crate::catalog::error::{PgError, PgResult, code};
use crate::catalog::expr;
use crate::catalog::model::*;
use crate::catalog::names::{
    MAX_IDENTIFIER_LEN, choose_name, name_addition, qual_from_rangevar, str_of, strings,
};
use crate::catalog::types::{ColType, TypeRef};

/// Everything needed to build one index.
#[derive(Debug, Clone)]
pub(crate) struct IndexSpec {
    pub name: Option<String>,
    pub table: Oid,
    pub method: String,
    pub elems: Vec<IndexElem>,
    pub include: Vec<String>,
    pub predicate: Option<Node>,
    pub options: Vec<String>,
    pub unique: bool,
    pub primary: bool,
    /// Backs a constraint: its name must also be free among constraints.
    pub is_constraint: bool,
    pub exclusion_ops: Vec<String>,
    pub nulls_not_distinct: bool,
    pub tablespace: Option<String>,
    pub location: i32,
}

impl Catalog {
    pub(super) fn create_index(&mut self, stmt: &IndexStmt) -> PgResult<Applied> {
        let Some(rv) = stmt.relation.as_ref() else {
            return Err(PgError::new(
                code::SYNTAX_ERROR,
                "CREATE INDEX without a table",
            ));
        };
        let qn = qual_from_rangevar(rv);
        let table = self.require_relation(&qn).map_err(|e| e.at(rv.location))?;
        if stmt.concurrent && self.in_transaction {
            return Err(PgError::new(
                code::ACTIVE_SQL_TRANSACTION,
                "CREATE INDEX CONCURRENTLY cannot run inside a transaction block",
            ));
        }
        let rel = self
            .relation(table)
            .ok_or_else(|| super::table::missing_relation(&qn))?;
        match &rel.body {
            RelBody::Table(t) if stmt.concurrent && t.partition.is_some() => {
                return Err(PgError::new(
                    code::FEATURE_NOT_SUPPORTED,
                    format!(
                        "cannot create index on partitioned table \"{}\" concurrently",
                        rel.name
                    ),
                ));
            }
            RelBody::Table(_) => {}
            RelBody::View(v) if v.materialized => {}
            _ => {
                return Err(PgError::new(
                    code::WRONG_OBJECT_TYPE,
                    format!("cannot create index on relation \"{}\"", rel.name),
                )
                .detail(format!(
                    "This operation is not supported for {}s.",
                    rel.kind_word()
                )));
            }
        }
        if !stmt.idxname.is_empty() && self.rel_name_taken(rel.schema, &stmt.idxname) {
            if stmt.if_not_exists {
                return Ok(Applied::Skipped(format!(
                    "relation \"{}\" already exists, skipping",
                    stmt.idxname
                )));
            }
            return Err(PgError::new(
                code::DUPLICATE_TABLE,
                format!("relation \"{}\" already exists", stmt.idxname),
            ));
        }
        let spec = IndexSpec {
            name: (!stmt.idxname.is_empty()).then(|| stmt.idxname.clone()),
            table,
            method: if stmt.access_method.is_empty() {
                "btree".into()
            } else {
                stmt.access_method.clone()
            },
            elems: index_elems(&stmt.index_params),
            include: include_names(&stmt.index_including_params),
            predicate: stmt.where_clause.as_deref().cloned(),
            options: super::options_text(&stmt.options),
            unique: stmt.unique,
            primary: false,
            is_constraint: false,
            exclusion_ops: Vec::new(),
            nulls_not_distinct: stmt.nulls_not_distinct,
            tablespace: (!stmt.table_space.is_empty()).then(|| stmt.table_space.clone()),
            location: rv.location,
        };
        self.build_index(spec, None)?;
        Ok(Applied::Schema)
    }

    /// Checks and creates an index; returns its OID.
    /// A unique index on a partitioned table is enforced per partition, so
    /// PostgreSQL requires it to contain every partition key column.
    fn check_unique_covers_partition_key(
        &self,
        spec: &IndexSpec,
        table_name: &str,
    ) -> PgResult<()> {
        let Some(part) = self.partition_spec(spec.table) else {
            return Ok(());
        };
        let what = if spec.primary {
            "PRIMARY KEY"
        } else {
            "UNIQUE"
        };
        for p in &part.part_params {
            let Some(NodeEnum::PartitionElem(pe)) = p.node.as_ref() else {
                continue;
            };
            if pe.expr.is_some() {
                return Err(PgError::new(
                    code::FEATURE_NOT_SUPPORTED,
                    format!("unsupported {what} constraint with partition key definition"),
                )
                .detail(format!(
                    "{what} constraints cannot be used when partition keys include expressions."
                )));
            }
            if !spec.elems.iter().any(|e| e.name == pe.name) {
                return Err(PgError::new(
                    code::FEATURE_NOT_SUPPORTED,
                    "unique constraint on partitioned table must include all partitioning columns",
                )
                .detail(format!(
                    "{what} constraint on table \"{table_name}\" lacks column \"{}\" which is part of the partition key.",
                    pe.name
                )));
            }
        }
        Ok(())
    }

    pub(crate) fn build_index(
        &mut self,
        spec: IndexSpec,
        constraint: Option<Oid>,
    ) -> PgResult<Oid> {
        let table_oid = spec.table;
        let (schema, table_name) = self.rel_schema_name(table_oid);
        let is_matview = self.relation(table_oid).and_then(Relation::view).is_some();
        let method = spec.method.as_str();
        if !self.access_method_exists(method) {
            return Err(PgError::new(
                code::UNDEFINED_OBJECT,
                format!("access method \"{method}\" does not exist"),
            ));
        }
        if spec.unique && method != "btree" {
            return Err(PgError::new(
                code::FEATURE_NOT_SUPPORTED,
                format!("access method \"{method}\" does not support unique indexes"),
            ));
        }
        if !spec.include.is_empty() && !matches!(method, "btree" | "gist" | "spgist") {
            return Err(PgError::new(
                code::FEATURE_NOT_SUPPORTED,
                format!("access method \"{method}\" does not support included columns"),
            ));
        }
        if spec.elems.len() > 1 && matches!(method, "hash" | "spgist" | "ivfflat" | "hnsw") {
            return Err(PgError::new(
                code::FEATURE_NOT_SUPPORTED,
                format!("access method \"{method}\" does not support multicolumn indexes"),
            ));
        }
        if spec.unique {
            self.check_unique_covers_partition_key(&spec, &table_name)?;
        }
        let columns = self.columns_of(table_oid);
        let mut keys = Vec::with_capacity(spec.elems.len());
        let mut colnames = Vec::with_capacity(spec.elems.len());
        for elem in &spec.elems {
            let (target, ty, label) = if !elem.name.is_empty() {
                let Some((attnum, ty)) = columns
                    .iter()
                    .find(|c| c.0 == elem.name)
                    .map(|c| (c.1, c.2.clone()))
                else {
                    let msg = if spec.is_constraint {
                        format!("column \"{}\" named in key does not exist", elem.name)
                    } else {
                        format!("column \"{}\" does not exist", elem.name)
                    };
                    return Err(PgError::new(code::UNDEFINED_COLUMN, msg).at(spec.location));
                };
                (IndexTarget::Column(attnum), Some(ty), elem.name.clone())
            } else if let Some(e) = &elem.expr {
                self.check_table_expr(table_oid, e, "index expression")?;
                if self.expression_volatility(e, &|n| self.simple_expr_type(table_oid, n)) != 'i' {
                    return Err(PgError::new(
                        code::INVALID_OBJECT_DEFINITION,
                        "functions in index expression must be marked IMMUTABLE",
                    ));
                }
                let label = if elem.indexcolname.is_empty() {
                    figure_index_colname(e).unwrap_or_else(|| "expr".into())
                } else {
                    elem.indexcolname.clone()
                };
                let mut stored = (**e).clone();
                self.qualify_function_calls(&mut stored);
                (
                    IndexTarget::Expr(stored),
                    self.simple_expr_type(table_oid, e),
                    label,
                )
            } else {
                continue;
            };
            let opclass = (!elem.opclass.is_empty()).then(|| strings(&elem.opclass).join("."));
            match (&opclass, &ty) {
                (Some(name), ty) => self.check_opclass(method, name, ty.as_ref())?,
                (None, Some(ty)) => {
                    if self.default_opclass(method, ty).is_none() && !self.type_is_assumed(ty) {
                        return Err(PgError::new(
                            code::UNDEFINED_OBJECT,
                            format!(
                                "data type {} has no default operator class for access method \"{method}\"",
                                self.type_display(ty)
                            ),
                        )
                        .hint("You must specify an operator class for the index or define a default operator class for the data type."));
                    }
                }
                (None, None) => {}
            }
            let mut collation = None;
            if !elem.collation.is_empty() {
                let names = strings(&elem.collation);
                collation = Some(self.lookup_collation(&names)?);
                if let Some(t) = &ty
                    && !self.is_collatable(t)
                {
                    return Err(PgError::new(
                        code::DATATYPE_MISMATCH,
                        format!(
                            "collations are not supported by type {}",
                            self.type_display(&t.element())
                        ),
                    ));
                }
            }
            colnames.push(label);
            keys.push(IndexKey {
                target,
                collation,
                opclass,
                opclass_options: super::options_text(&elem.opclassopts),
                ordering: elem.ordering,
                nulls: elem.nulls_ordering,
            });
        }
        if spec.is_constraint {
            let mut seen: Vec<i16> = Vec::new();
            for k in &keys {
                if let IndexTarget::Column(a) = k.target {
                    if seen.contains(&a) {
                        let what = if spec.primary {
                            "primary key"
                        } else {
                            "unique"
                        };
                        let name = columns
                            .iter()
                            .find(|c| c.1 == a)
                            .map_or("?", |c| c.0.as_str());
                        return Err(PgError::new(
                            code::DUPLICATE_COLUMN,
                            format!("column \"{name}\" appears twice in {what} constraint"),
                        ));
                    }
                    seen.push(a);
                }
            }
        }
        let mut include = Vec::new();
        for name in &spec.include {
            let Some(attnum) = columns.iter().find(|c| &c.0 == name).map(|c| c.1) else {
                return Err(PgError::new(
                    code::UNDEFINED_COLUMN,
                    format!("column \"{name}\" does not exist"),
                ));
            };
            include.push(attnum);
        }
        if let Some(pred) = &spec.predicate {
            self.check_table_expr(table_oid, pred, "index predicate")?;
            if self.expression_volatility(pred, &|n| self.simple_expr_type(table_oid, n)) != 'i' {
                return Err(PgError::new(
                    code::INVALID_OBJECT_DEFINITION,
                    "functions in index predicate must be marked IMMUTABLE",
                ));
            }
        }
        let name = match &spec.name {
            Some(n) => {
                if self.rel_name_taken(schema, n) {
                    return Err(PgError::new(
                        code::DUPLICATE_TABLE,
                        format!("relation \"{n}\" already exists"),
                    ));
                }
                n.clone()
            }
            None => {
                let label = if spec.primary {
                    "pkey"
                } else if !spec.exclusion_ops.is_empty() {
                    "excl"
                } else if spec.is_constraint {
                    "key"
                } else {
                    "idx"
                };
                let addition = if spec.primary {
                    None
                } else {
                    Some(name_addition(
                        unique_colnames(&colnames).iter().map(String::as_str),
                    ))
                };
                choose_name(&table_name, addition.as_deref(), label, |n| {
                    self.rel_name_taken(schema, n)
                        || (spec.is_constraint && self.constraint_name_in_schema(schema, n))
                })
            }
        };
        if is_matview && spec.is_constraint {
            return Err(PgError::new(
                code::WRONG_OBJECT_TYPE,
                format!("\"{table_name}\" is not a table"),
            ));
        }
        let oid = self.alloc_oid();
        let index = Index {
            table: table_oid,
            unique: spec.unique || spec.primary,
            primary: spec.primary,
            constraint,
            method: spec.method.clone(),
            keys,
            include,
            predicate: spec.predicate.clone(),
            options: spec.options.clone(),
            nulls_not_distinct: spec.nulls_not_distinct,
            tablespace: spec.tablespace.clone(),
            exclusion_ops: spec.exclusion_ops.clone(),
        };
        self.insert_relation(Relation {
            oid,
            schema,
            name,
            comment: None,
            extension: None,
            body: RelBody::Index(Box::new(index)),
        });
        match self.relation_mut(table_oid).map(|r| &mut r.body) {
            Some(RelBody::Table(t)) => t.indexes.push(oid),
            // A materialized view keeps no index list; REFRESH CONCURRENTLY
            // finds its indexes through the reference index.
            Some(RelBody::View(_)) => self.note_ref(table_oid, oid),
            Some(_) | None => {}
        }
        Ok(oid)
    }

    /// `(name, attnum, type)` of the columns of a table or materialized view.
    pub(crate) fn columns_of(&self, rel: Oid) -> Vec<(String, i16, ColType)> {
        match self.relation(rel).map(|r| &r.body) {
            Some(RelBody::Table(t)) => t
                .columns
                .iter()
                .map(|c| (c.name.clone(), c.attnum, c.ty.clone()))
                .collect(),
            Some(RelBody::View(v)) => v
                .columns
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    (
                        c.name.clone(),
                        i as i16 + 1,
                        c.ty.clone().unwrap_or_else(|| ColType::builtin("text")),
                    )
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The type of a table's column. A materialized view's columns are
    /// left unknown: their types are inferred, and a wrong guess there
    /// must not turn into a refused call.
    fn known_column_type(&self, table: Oid, name: &str) -> Option<ColType> {
        self.table(table)?.column(name).map(|c| c.ty.clone())
    }

    /// Checks an expression over one table's columns (index expressions,
    /// predicates, CHECK constraints): columns exist, functions exist,
    /// no subqueries or aggregates.
    pub(crate) fn check_table_expr(&self, table: Oid, e: &Node, what: &str) -> PgResult<()> {
        if let Some((kind, loc)) = expr::find_forbidden(e) {
            let msg = match kind {
                "subquery" => format!("cannot use subquery in {what}"),
                "window" => format!("window functions are not allowed in {what}s"),
                _ => format!("aggregate functions are not allowed in {what}s"),
            };
            let code = match kind {
                "subquery" => code::FEATURE_NOT_SUPPORTED,
                "window" => "42P20",
                _ => code::INVALID_GROUPING_ERROR,
            };
            return Err(PgError::new(code, msg).at(loc));
        }
        let columns = self.columns_of(table);
        let table_name = self.rel_name(table).to_string();
        let mut col_err = None;
        expr::walk(e, &mut |n| {
            if col_err.is_some() {
                return;
            }
            if let NodeEnum::ColumnRef(c) = n {
                let fields: Vec<&str> = c.fields.iter().filter_map(str_of).collect();
                let (qual, name) = match fields.as_slice() {
                    [name] => (None, *name),
                    [q, name] => (Some(*q), *name),
                    [_, q, name] => (Some(*q), *name),
                    _ => return,
                };
                if let Some(q) = qual
                    && q != table_name
                {
                    col_err = Some(
                        PgError::new(
                            code::UNDEFINED_TABLE,
                            format!("missing FROM-clause entry for table \"{q}\""),
                        )
                        .at(c.location),
                    );
                    return;
                }
                if !columns.iter().any(|col| col.0 == name) {
                    col_err = Some(
                        PgError::new(
                            code::UNDEFINED_COLUMN,
                            format!("column \"{name}\" does not exist"),
                        )
                        .at(c.location),
                    );
                }
            }
        });
        if let Some(e) = col_err {
            return Err(e);
        }
        let column_type = |name: &str| self.known_column_type(table, name);
        self.check_expression_functions(e, &column_type)?;
        // Untyped literals are read there as what their operator takes.
        self.check_expression_types(e, &column_type)
    }

    /// The type of an expression over a table when it is a column, a cast
    /// or a well-known function; `None` otherwise.
    pub(crate) fn simple_expr_type(&self, table: Oid, e: &Node) -> Option<ColType> {
        match e.node.as_ref()? {
            NodeEnum::ColumnRef(c) => {
                let name = c.fields.last().and_then(str_of)?;
                self.columns_of(table)
                    .into_iter()
                    .find(|col| col.0 == name)
                    .map(|c| c.2)
            }
            NodeEnum::TypeCast(tc) => self.resolve_type(tc.type_name.as_ref()?).ok(),
            NodeEnum::FuncCall(fc) => {
                let name = fc.funcname.last().and_then(str_of)?;
                let ty = match name {
                    "lower" | "upper" | "btrim" | "trim" | "concat" | "concat_ws" | "md5"
                    | "replace" | "unaccent" | "substring" | "substr" | "left" | "right" => "text",
                    "to_tsvector" | "setweight" => "tsvector",
                    "date" | "date_trunc" if fc.args.len() == 1 => "date",
                    _ => return None,
                };
                Some(ColType::builtin(ty))
            }
            NodeEnum::AExpr(a) => {
                let op = a.name.last().and_then(str_of)?;
                if op == "||" {
                    let l = a
                        .lexpr
                        .as_deref()
                        .and_then(|l| self.simple_expr_type(table, l));
                    match l {
                        Some(t) if t.is("tsvector") => Some(t),
                        _ => Some(ColType::builtin("text")),
                    }
                } else {
                    None
                }
            }
            NodeEnum::CoalesceExpr(c) => {
                c.args.first().and_then(|a| self.simple_expr_type(table, a))
            }
            _ => None,
        }
    }

    pub(crate) fn access_method_exists(&self, method: &str) -> bool {
        if BUILTINS.is_access_method(method) {
            return true;
        }
        self.extensions.values().any(|e| {
            !e.known
                || BUILTINS
                    .extensions
                    .get(e.name.as_str())
                    .is_some_and(|d| d.access_methods.contains(&method))
        })
    }

    /// Operator classes visible now: built-in plus installed extensions'.
    fn visible_opclasses(&self) -> impl Iterator<Item = &OpClass> {
        BUILTINS.opclasses.iter().filter(|o| match o.extension {
            None => true,
            Some(ext) => self.extension_by_name(ext).is_some(),
        })
    }

    /// The named operator class must exist for the method and, as
    /// `ResolveOpClass` requires, accept the column's type (binary
    /// coercible). The type is only judged between built-in types;
    /// polymorphic inputs (`anyarray`, `anyenum`...) accept their family.
    fn check_opclass(&self, method: &str, name: &str, ty: Option<&ColType>) -> PgResult<()> {
        let bare = name.rsplit('.').next().unwrap_or(name);
        let Some(input) = self
            .visible_opclasses()
            .find(|o| o.access_method == method && o.name == bare)
            .map(|o| o.input_type)
        else {
            if self.has_unknown_extension() {
                return Ok(());
            }
            return Err(PgError::new(
                code::UNDEFINED_OBJECT,
                format!("operator class \"{name}\" does not exist for access method \"{method}\""),
            ));
        };
        let Some(ty) = ty else {
            return Ok(());
        };
        let base = self.base_type(ty);
        let TypeRef::Builtin(col) = base.base else {
            return Ok(());
        };
        if base.array
            || input.starts_with("any")
            || input == "record"
            || BUILTINS.builtin_type(input).is_none()
            || BUILTINS
                .builtin_type(col)
                .is_some_and(|t| matches!(t.kind, 'r' | 'm' | 'p'))
            || BUILTINS.binary_coercible(col, input)
        {
            return Ok(());
        }
        Err(PgError::new(
            code::DATATYPE_MISMATCH,
            format!(
                "operator class \"{name}\" does not accept data type {}",
                self.type_display(ty)
            ),
        ))
    }

    fn type_is_assumed(&self, ty: &ColType) -> bool {
        matches!(self.base_type(ty).base, TypeRef::Assumed(_))
    }

    /// The default operator class of `method` for a type, as
    /// `GetDefaultOpClass` finds it (binary-coercible inputs included).
    pub(crate) fn default_opclass(&self, method: &str, ty: &ColType) -> Option<&OpClass> {
        let base = self.base_type(ty);
        let wanted: Vec<&str> = if base.array {
            vec!["anyarray"]
        } else {
            match &base.base {
                TypeRef::Builtin(n) => match *n {
                    "varchar" => vec!["text", "varchar"],
                    "cidr" => vec!["inet"],
                    other => match BUILTINS.builtin_type(other).map(|t| t.kind) {
                        Some('r') => vec!["anyrange"],
                        Some('m') => vec!["anymultirange"],
                        _ => vec![other],
                    },
                },
                TypeRef::User(oid) => {
                    match self.user_type(*oid).map(|t| (&t.kind, t.name.as_str())) {
                        Some((TypeKind::Enum { .. }, _)) => vec!["anyenum"],
                        Some((TypeKind::Range { .. }, _)) => vec!["anyrange"],
                        Some((TypeKind::Composite { .. }, _)) => vec!["record"],
                        Some((_, name)) => vec![name],
                        None => vec![],
                    }
                }
                TypeRef::Row(_) => vec!["record"],
                TypeRef::Assumed(_) => return None,
            }
        };
        self.visible_opclasses()
            .find(|o| o.access_method == method && o.is_default && wanted.contains(&o.input_type))
    }

    /// Is `name` used by any constraint of any relation in `schema`?
    /// (`ConstraintNameExists`, which generated names avoid.)
    pub(crate) fn constraint_name_in_schema(&self, schema: Oid, name: &str) -> bool {
        self.table_constraint_name_used(schema, name)
            || self.domains > 0 && self.types.values().any(|t| {
            t.schema == schema
                && matches!(&t.kind, TypeKind::Domain { constraints, .. } if constraints.iter().any(|c| c.name == name))
        })
    }

    /// Recreates an index of a `LIKE ... INCLUDING INDEXES` source on the
    /// new table's columns.
    pub(super) fn like_index(
        &self,
        idx: Oid,
        _src: &Table,
        attmap: &[(i16, i16)],
    ) -> Option<super::constraint::PendingConstraint> {
        let index = self.relation(idx)?.index()?.clone();
        let con = index.constraint.and_then(|c| {
            let con = self
                .table(index.table)?
                .constraints
                .iter()
                .find(|x| x.oid == c)?;
            let kind = match con.kind {
                ConstraintKind::PrimaryKey { .. } => protobuf::ConstrType::ConstrPrimary,
                ConstraintKind::Unique { .. } => protobuf::ConstrType::ConstrUnique,
                _ => protobuf::ConstrType::ConstrExclusion,
            };
            Some((kind, con.deferrable, con.initially_deferred))
        });
        let src_cols = self.columns_of(index.table);
        let name_of = |a: i16| src_cols.iter().find(|c| c.1 == a).map(|c| c.0.clone());
        let mut elems = Vec::new();
        for k in &index.keys {
            let mut e = IndexElem {
                ordering: k.ordering,
                nulls_ordering: k.nulls,
                ..Default::default()
            };
            match &k.target {
                IndexTarget::Column(a) => {
                    attmap.iter().find(|m| m.0 == *a)?;
                    e.name = name_of(*a)?;
                }
                IndexTarget::Expr(x) => e.expr = Some(Box::new(x.clone())),
            }
            if let Some(opc) = &k.opclass {
                e.opclass = opc
                    .split('.')
                    .map(|p| {
                        expr::node(NodeEnum::String(protobuf::String {
                            sval: p.to_string(),
                        }))
                    })
                    .collect();
            }
            elems.push(e);
        }
        Some(super::constraint::PendingConstraint::LikeIndex(
            IndexSpec {
                name: None,
                table: 0,
                method: index.method.clone(),
                elems,
                include: index.include.iter().filter_map(|a| name_of(*a)).collect(),
                predicate: index.predicate.clone(),
                options: index.options.clone(),
                unique: index.unique,
                primary: index.primary,
                is_constraint: index.constraint.is_some(),
                exclusion_ops: index.exclusion_ops.clone(),
                nulls_not_distinct: index.nulls_not_distinct,
                tablespace: None,
                location: -1,
            },
            con,
        ))
    }
}

/// `IndexElem`s of an index statement's parameter list.
pub(crate) fn index_elems(params: &[Node]) -> Vec<IndexElem> {
    params
        .iter()
        .filter_map(|p| match p.node.as_ref() {
            Some(NodeEnum::IndexElem(e)) => Some((**e).clone()),
            _ => None,
        })
        .collect()
}

pub(crate) fn include_names(params: &[Node]) -> Vec<String> {
    params
        .iter()
        .filter_map(|p| match p.node.as_ref() {
            Some(NodeEnum::IndexElem(e)) => Some(e.name.clone()),
            Some(NodeEnum::String(s)) => Some(s.sval.clone()),
            _ => None,
        })
        .collect()
}

/// `ChooseIndexColumnNames`: duplicate names get numeric suffixes.
fn unique_colnames(names: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(names.len());
    for orig in names {
        let mut cur = orig.clone();
        let mut i = 1;
        while out.contains(&cur) {
            let suffix = i.to_string();
            let keep = crate::catalog::names::clip_len(orig, MAX_IDENTIFIER_LEN - suffix.len());
            cur = format!("{}{suffix}", &orig[..keep]);
            i += 1;
        }
        out.push(cur);
    }
    out
}

/// `FigureIndexColname`: the name PostgreSQL derives for an index
/// expression (`lower(email)` → `lower`, `(a::date)` → `a`).
pub(crate) fn figure_index_colname(e: &Node) -> Option<String> {
    let (name, strength) = figure_colname(e)?;
    (strength > 0 && name != "?column?").then_some(name)
}

/// `FigureColnameInternal`: a name and its strength (2 strong, 1 weak).
pub(crate) fn figure_colname(e: &Node) -> Option<(String, u8)> {
    match e.node.as_ref()? {
        NodeEnum::ColumnRef(c) => {
            let last = c.fields.last()?;
            match last.node.as_ref()? {
                NodeEnum::String(s) => Some((s.sval.clone(), 2)),
                _ => None,
            }
        }
        NodeEnum::AIndirection(ind) => {
            for i in ind.indirection.iter().rev() {
                if let Some(NodeEnum::String(s)) = i.node.as_ref() {
                    return Some((s.sval.clone(), 2));
                }
            }
            figure_colname(ind.arg.as_deref()?)
        }
        NodeEnum::FuncCall(fc) => Some((fc.funcname.last().and_then(str_of)?.to_string(), 2)),
        NodeEnum::AExpr(a) if a.kind == protobuf::AExprKind::AexprNullif as i32 => {
            Some(("nullif".into(), 2))
        }
        NodeEnum::TypeCast(tc) => {
            let inner = tc.arg.as_deref().and_then(figure_colname);
            match inner {
                Some((n, s)) if s > 1 => Some((n, s)),
                _ => {
                    let tn = tc.type_name.as_ref()?;
                    Some((tn.names.last().and_then(str_of)?.to_string(), 1))
                }
            }
        }
        NodeEnum::CollateClause(c) => figure_colname(c.arg.as_deref()?),
        NodeEnum::SubLink(s) => match s.sub_link_type {
            1 => Some(("exists".into(), 2)),
            7 => Some(("array".into(), 2)),
            5 => {
                // (SELECT x FROM ...) takes the subquery's column name.
                let NodeEnum::SelectStmt(sel) = s.subselect.as_ref()?.node.as_ref()? else {
                    return None;
                };
                let NodeEnum::ResTarget(rt) = sel.target_list.first()?.node.as_ref()? else {
                    return None;
                };
                if !rt.name.is_empty() {
                    return Some((rt.name.clone(), 2));
                }
                figure_colname(rt.val.as_deref()?)
            }
            _ => None,
        },
        NodeEnum::CaseExpr(c) => match c.defresult.as_deref().and_then(figure_colname) {
            Some((n, s)) if s > 1 => Some((n, s)),
            _ => Some(("case".into(), 1)),
        },
        NodeEnum::AArrayExpr(_) => Some(("array".into(), 1)),
        NodeEnum::RowExpr(_) => Some(("row".into(), 1)),
        NodeEnum::CoalesceExpr(_) => Some(("coalesce".into(), 2)),
        NodeEnum::MinMaxExpr(m) => Some((if m.op == 1 { "greatest" } else { "least" }.into(), 2)),
        NodeEnum::SqlvalueFunction(f) => Some((
            match f.op {
                1 => "current_date",
                2 | 3 => "current_time",
                4 | 5 => "current_timestamp",
                6 | 7 => "localtime",
                8 | 9 => "localtimestamp",
                10 => "current_role",
                11 => "current_user",
                12 => "user",
                13 => "session_user",
                14 => "current_catalog",
                _ => "current_schema",
            }
            .into(),
            2,
        )),
        NodeEnum::XmlExpr(_) => Some(("xmlelement".into(), 2)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::catalog::testing::sqlstate;

    #[test]
    fn literals_compared_with_columns_take_the_column_type() {
        assert_eq!(
            sqlstate("CREATE TABLE t (a int); CREATE INDEX i ON t (a) WHERE a > 'x'"),
            "22P02"
        );
        assert_eq!(
            sqlstate("CREATE TABLE t (d date CHECK (d > '2020-02-30'))"),
            "22008"
        );
        // Other operators may take another type (`jsonb ? text`).
        assert_eq!(sqlstate("CREATE TABLE t (j jsonb CHECK (j ? 'k'))"), "ok");
    }
}
