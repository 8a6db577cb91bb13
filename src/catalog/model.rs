//! The objects of the simulated catalog. Each mirrors what PostgreSQL keeps
//! in its system catalogs, reduced to what changes a schema's shape.
//!
//! Objects refer to each other by [`Oid`], and columns by attribute number,
//! so renames never break a reference (as in PostgreSQL). Expressions are
//! kept as libpg_query nodes in a canonical form (column references
//! qualified where PostgreSQL resolves them) and deparsed when printed.

use pg_query::protobuf::Node;

use super::types::ColType;

pub type Oid = u32;

#[derive(Debug, Clone)]
pub struct Schema {
    pub oid: Oid,
    pub name: String,
    pub comment: Option<String>,
    /// Created by `CREATE EXTENSION` (e.g. a schema an extension made).
    pub extension: Option<Oid>,
}

#[derive(Debug, Clone)]
pub struct Relation {
    pub oid: Oid,
    pub schema: Oid,
    pub name: String,
    pub comment: Option<String>,
    /// Member of an extension: not dumped, dropped with it.
    pub extension: Option<Oid>,
    pub body: RelBody,
}

#[derive(Debug, Clone)]
pub enum RelBody {
    Table(Box<Table>),
    View(Box<View>),
    Sequence(Sequence),
    Index(Box<Index>),
    /// The pg_class entry of a standalone composite type (the type itself is
    /// in the type map).
    CompositeType(Oid),
}

impl Relation {
    /// PostgreSQL's word for the relation kind, as used in messages.
    pub fn kind_word(&self) -> &'static str {
        match &self.body {
            RelBody::Table(t) if t.partition.is_some() => "table",
            RelBody::Table(_) => "table",
            RelBody::View(v) if v.materialized => "materialized view",
            RelBody::View(_) => "view",
            RelBody::Sequence(_) => "sequence",
            RelBody::Index(_) => "index",
            RelBody::CompositeType(_) => "composite type",
        }
    }

    pub fn table(&self) -> Option<&Table> {
        match &self.body {
            RelBody::Table(t) => Some(t),
            _ => None,
        }
    }

    pub fn table_mut(&mut self) -> Option<&mut Table> {
        match &mut self.body {
            RelBody::Table(t) => Some(t),
            _ => None,
        }
    }

    pub fn view(&self) -> Option<&View> {
        match &self.body {
            RelBody::View(v) => Some(v),
            _ => None,
        }
    }

    pub fn index(&self) -> Option<&Index> {
        match &self.body {
            RelBody::Index(i) => Some(i),
            _ => None,
        }
    }

    pub fn sequence(&self) -> Option<&Sequence> {
        match &self.body {
            RelBody::Sequence(s) => Some(s),
            _ => None,
        }
    }

    /// A table's or a view's triggers.
    pub fn triggers(&self) -> &[Trigger] {
        match &self.body {
            RelBody::Table(t) => &t.triggers,
            RelBody::View(v) => &v.triggers,
            _ => &[],
        }
    }

    pub fn triggers_mut(&mut self) -> Option<&mut Vec<Trigger>> {
        match &mut self.body {
            RelBody::Table(t) => Some(&mut t.triggers),
            RelBody::View(v) => Some(&mut v.triggers),
            _ => None,
        }
    }

    /// Tables, views and materialized views have columns one can name.
    pub fn has_columns(&self) -> bool {
        matches!(self.body, RelBody::Table(_) | RelBody::View(_))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Persistence {
    Permanent,
    Unlogged,
    Temporary,
}

#[derive(Debug, Clone)]
pub struct Table {
    /// In attribute-number order; dropped columns are removed.
    pub columns: Vec<Column>,
    pub next_attnum: i16,
    pub persistence: Persistence,
    pub constraints: Vec<Constraint>,
    pub indexes: Vec<Oid>,
    pub triggers: Vec<Trigger>,
    pub policies: Vec<Policy>,
    /// `PARTITION BY` of a partitioned table (the `PartitionSpec` node).
    pub partition: Option<Node>,
    /// `PARTITION OF parent FOR VALUES ...` (the `PartitionBoundSpec` node).
    pub partition_of: Option<(Oid, Node)>,
    pub inherits: Vec<Oid>,
    /// Storage parameters (`WITH (fillfactor=70)`), deparsed `name=value`.
    pub options: Vec<String>,
    pub rls_enabled: bool,
    pub rls_forced: bool,
    /// `d` default, `n` nothing, `f` full, `i` index.
    pub replica_identity: char,
    pub replica_identity_index: Option<Oid>,
    pub access_method: Option<String>,
    pub tablespace: Option<String>,
    /// The index `CLUSTER ON` (or `CLUSTER ... USING`) marked.
    pub clustered_index: Option<Oid>,
}

impl Table {
    pub fn new(persistence: Persistence) -> Self {
        Table {
            columns: Vec::new(),
            next_attnum: 1,
            persistence,
            constraints: Vec::new(),
            indexes: Vec::new(),
            triggers: Vec::new(),
            policies: Vec::new(),
            partition: None,
            partition_of: None,
            inherits: Vec::new(),
            options: Vec::new(),
            rls_enabled: false,
            rls_forced: false,
            replica_identity: 'd',
            replica_identity_index: None,
            access_method: None,
            tablespace: None,
            clustered_index: None,
        }
    }

    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    pub fn column_mut(&mut self, name: &str) -> Option<&mut Column> {
        self.columns.iter_mut().find(|c| c.name == name)
    }

    pub fn column_by_num(&self, attnum: i16) -> Option<&Column> {
        self.columns.iter().find(|c| c.attnum == attnum)
    }

    pub fn column_name(&self, attnum: i16) -> &str {
        self.column_by_num(attnum).map_or("?", |c| c.name.as_str())
    }

    pub fn constraint(&self, name: &str) -> Option<&Constraint> {
        self.constraints.iter().find(|c| c.name == name)
    }

    pub fn primary_key(&self) -> Option<&Constraint> {
        self.constraints
            .iter()
            .find(|c| matches!(c.kind, ConstraintKind::PrimaryKey { .. }))
    }
}

#[derive(Debug, Clone)]
pub struct Column {
    pub attnum: i16,
    pub name: String,
    pub ty: ColType,
    pub not_null: bool,
    pub default: Option<Node>,
    pub identity: Option<Identity>,
    /// `GENERATED ALWAYS AS (expr) STORED`.
    pub generated: Option<Node>,
    pub collation: Option<String>,
    pub comment: Option<String>,
    pub storage: Option<String>,
    pub compression: Option<String>,
    pub statistics: Option<i32>,
    /// Declared on this table (not only inherited from a parent/partition root).
    pub is_local: bool,
    pub inherit_count: i16,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Identity {
    /// `GENERATED ALWAYS` (else `BY DEFAULT`).
    pub always: bool,
    pub sequence: Oid,
}

#[derive(Debug, Clone)]
pub struct Constraint {
    pub oid: Oid,
    pub name: String,
    pub kind: ConstraintKind,
    pub deferrable: bool,
    pub initially_deferred: bool,
    /// False after `NOT VALID` until `VALIDATE CONSTRAINT`.
    pub validated: bool,
    pub no_inherit: bool,
    pub is_local: bool,
    pub comment: Option<String>,
}

// Expressions are libpg_query nodes, large but kept inline as everywhere
// in the model.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum ConstraintKind {
    Check { expr: Node },
    PrimaryKey { index: Oid },
    Unique { index: Oid },
    Exclusion { index: Oid },
    ForeignKey(ForeignKey),
}

impl ConstraintKind {
    pub fn index(&self) -> Option<Oid> {
        match self {
            ConstraintKind::PrimaryKey { index }
            | ConstraintKind::Unique { index }
            | ConstraintKind::Exclusion { index } => Some(*index),
            _ => None,
        }
    }

    /// `contype` letter as in pg_constraint.
    pub fn letter(&self) -> char {
        match self {
            ConstraintKind::Check { .. } => 'c',
            ConstraintKind::PrimaryKey { .. } => 'p',
            ConstraintKind::Unique { .. } => 'u',
            ConstraintKind::Exclusion { .. } => 'x',
            ConstraintKind::ForeignKey(_) => 'f',
        }
    }
}

#[derive(Debug, Clone)]
pub struct ForeignKey {
    pub columns: Vec<i16>,
    pub ref_table: Oid,
    pub ref_columns: Vec<i16>,
    /// The unique index on the referenced table the key relies on.
    pub ref_index: Oid,
    /// `a` no action, `r` restrict, `c` cascade, `n` set null, `d` set default.
    pub on_update: char,
    pub on_delete: char,
    /// `s` simple, `f` full, `p` partial.
    pub match_type: char,
    pub on_delete_set_columns: Vec<i16>,
}

#[derive(Debug, Clone)]
pub struct Index {
    pub table: Oid,
    pub unique: bool,
    pub primary: bool,
    /// The constraint this index implements (PK, UNIQUE, EXCLUDE).
    pub constraint: Option<Oid>,
    pub method: String,
    pub keys: Vec<IndexKey>,
    pub include: Vec<i16>,
    pub predicate: Option<Node>,
    pub options: Vec<String>,
    pub nulls_not_distinct: bool,
    pub tablespace: Option<String>,
    /// `EXCLUDE` operators, one per key.
    pub exclusion_ops: Vec<String>,
}

#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum IndexTarget {
    Column(i16),
    Expr(Node),
}

#[derive(Debug, Clone)]
pub struct IndexKey {
    pub target: IndexTarget,
    pub collation: Option<String>,
    /// Qualified as written (`pg_catalog.text_pattern_ops`) or bare.
    pub opclass: Option<String>,
    pub opclass_options: Vec<String>,
    /// `SortByDir`: 0/1 default, 2 asc, 3 desc.
    pub ordering: i32,
    /// `SortByNulls`: 0/1 default, 2 first, 3 last.
    pub nulls: i32,
}

#[derive(Debug, Clone)]
pub struct Sequence {
    /// `int2`, `int4` or `int8`.
    pub data_type: &'static str,
    pub start: i64,
    pub increment: i64,
    pub min: i64,
    pub max: i64,
    pub cache: i64,
    pub cycle: bool,
    /// `OWNED BY table.column` (serial columns set this).
    pub owned_by: Option<(Oid, i16)>,
    /// The sequence behind an identity column.
    pub identity: bool,
    pub persistence: Persistence,
}

#[derive(Debug, Clone)]
pub struct View {
    /// The canonical `SelectStmt` (stars expanded, names qualified).
    pub query: Node,
    pub columns: Vec<ViewColumn>,
    pub materialized: bool,
    pub options: Vec<String>,
    /// `LOCAL` / `CASCADED` check option.
    pub check_option: Option<String>,
    pub with_data: bool,
    pub deps: QueryDeps,
    pub recursive: bool,
    /// `CREATE TEMP VIEW`: lives in the session's temporary schema.
    pub temporary: bool,
    /// `INSTEAD OF` row triggers and statement-level triggers (a view's;
    /// a materialized view has none).
    pub triggers: Vec<Trigger>,
}

#[derive(Debug, Clone)]
pub struct ViewColumn {
    pub name: String,
    pub ty: Option<ColType>,
    pub comment: Option<String>,
    /// `ALTER VIEW ... ALTER COLUMN ... SET DEFAULT`: used by INSERTs
    /// through the view.
    pub default: Option<Node>,
}

/// What a query or expression refers to, for `DROP ... RESTRICT` checks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueryDeps {
    pub relations: Vec<Oid>,
    pub columns: Vec<(Oid, i16)>,
    pub types: Vec<Oid>,
    pub functions: Vec<Oid>,
    pub sequences: Vec<Oid>,
}

impl QueryDeps {
    pub fn merge(&mut self, other: QueryDeps) {
        fn add<T: PartialEq>(into: &mut Vec<T>, from: Vec<T>) {
            for x in from {
                if !into.contains(&x) {
                    into.push(x);
                }
            }
        }
        add(&mut self.relations, other.relations);
        add(&mut self.columns, other.columns);
        add(&mut self.types, other.types);
        add(&mut self.functions, other.functions);
        add(&mut self.sequences, other.sequences);
    }

    pub fn is_empty(&self) -> bool {
        self.relations.is_empty()
            && self.columns.is_empty()
            && self.types.is_empty()
            && self.functions.is_empty()
            && self.sequences.is_empty()
    }
}

#[derive(Debug, Clone)]
pub struct UserType {
    pub oid: Oid,
    pub schema: Oid,
    pub name: String,
    pub kind: TypeKind,
    pub comment: Option<String>,
    pub extension: Option<Oid>,
}

#[derive(Debug, Clone)]
pub enum TypeKind {
    Enum {
        labels: Vec<String>,
    },
    Domain {
        base: ColType,
        not_null: bool,
        default: Option<Node>,
        collation: Option<String>,
        constraints: Vec<Constraint>,
    },
    Composite {
        /// The pg_class entry that holds the attributes' namespace slot.
        relation: Oid,
        attributes: Vec<(String, ColType, Option<String>)>,
    },
    /// `CREATE TYPE ... AS RANGE`: kept as its statement.
    Range {
        stmt: Node,
    },
    /// A base type an extension brings (`citext`, `vector`, `geometry`).
    Base {
        category: char,
    },
}

impl UserType {
    pub fn kind_word(&self) -> &'static str {
        match self.kind {
            TypeKind::Domain { .. } => "domain",
            _ => "type",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct FuncArg {
    pub name: Option<String>,
    /// `i` in, `o` out, `b` inout, `v` variadic, `t` table.
    pub mode: char,
    pub ty: ColType,
    pub has_default: bool,
}

#[derive(Debug, Clone)]
pub struct Function {
    pub oid: Oid,
    pub schema: Oid,
    pub name: String,
    pub is_procedure: bool,
    pub args: Vec<FuncArg>,
    pub returns: Option<ColType>,
    pub returns_trigger: bool,
    pub language: String,
    /// The `CreateFunctionStmt`, kept for printing.
    pub stmt: Node,
    /// `i`, `s` or `v`.
    pub volatility: char,
    pub comment: Option<String>,
    pub deps: QueryDeps,
}

impl Function {
    pub fn input_types(&self) -> Vec<&ColType> {
        self.args
            .iter()
            .filter(|a| matches!(a.mode, 'i' | 'b' | 'v'))
            .map(|a| &a.ty)
            .collect()
    }
}

#[derive(Debug, Clone)]
pub struct Trigger {
    pub oid: Oid,
    pub name: String,
    pub function: Oid,
    /// The `CreateTrigStmt`, kept for printing.
    pub stmt: Node,
    /// `O` enabled (origin), `D` disabled, `R` replica, `A` always.
    pub enabled: char,
    pub comment: Option<String>,
    pub columns: Vec<i16>,
}

#[derive(Debug, Clone)]
pub struct Policy {
    pub oid: Oid,
    pub name: String,
    /// The `CreatePolicyStmt`, kept for printing.
    pub stmt: Node,
    pub comment: Option<String>,
}

/// A collation made by `CREATE COLLATION`.
#[derive(Debug, Clone)]
pub struct Collation {
    pub oid: Oid,
    pub schema: Oid,
    pub name: String,
    /// The `CREATE COLLATION` statement (name qualified), kept for printing.
    pub stmt: Node,
    pub comment: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Extension {
    pub oid: Oid,
    pub name: String,
    pub schema: Oid,
    pub version: String,
    /// `false` for an extension migsim has no member list for: its types
    /// and functions are then assumed to exist.
    pub known: bool,
    pub comment: Option<String>,
}

/// Any object a dependency, a comment or a drop can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ObjRef {
    Schema(Oid),
    Relation(Oid),
    Column(Oid, i16),
    /// The default expression of a column.
    Default(Oid, i16),
    Constraint(Oid, Oid),
    Trigger(Oid, Oid),
    Policy(Oid, Oid),
    Type(Oid),
    DomainConstraint(Oid, Oid),
    Function(Oid),
    Extension(Oid),
}
