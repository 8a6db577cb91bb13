-- Stand-in for pgvector 0.8.0 (see README.md): the same catalog objects,
-- with the same names, signatures, attributes, casts, operators, access
-- methods and operator classes as the real install script creates, backed
-- by the small C library in standin.c.  Which C routine implements what is
-- the stand-in's own business; sparsevec distances and norms are dummies.

\echo Use "CREATE EXTENSION vector" to load this file. \quit

-- ===================================================================
-- vector
-- ===================================================================

create type vector;

create function vector_in(cstring, oid, integer) returns vector
  as 'MODULE_PATHNAME', 'standin_vector_in' language c immutable strict parallel safe;
create function vector_out(vector) returns cstring
  as 'MODULE_PATHNAME', 'standin_dense_out' language c immutable strict parallel safe;
create function vector_typmod_in(cstring[]) returns integer
  as 'MODULE_PATHNAME', 'standin_vector_typmod_in' language c immutable strict parallel safe;
create function vector_recv(internal, oid, integer) returns vector
  as 'MODULE_PATHNAME', 'standin_vector_recv' language c immutable strict parallel safe;
create function vector_send(vector) returns bytea
  as 'MODULE_PATHNAME', 'standin_vector_send' language c immutable strict parallel safe;

create type vector (
  input = vector_in, output = vector_out, typmod_in = vector_typmod_in,
  receive = vector_recv, send = vector_send, storage = external
);

create function l2_distance(vector, vector) returns float8
  as 'MODULE_PATHNAME', 'standin_dense_l2_distance' language c immutable strict parallel safe;
create function inner_product(vector, vector) returns float8
  as 'MODULE_PATHNAME', 'standin_dense_inner_product' language c immutable strict parallel safe;
create function cosine_distance(vector, vector) returns float8
  as 'MODULE_PATHNAME', 'standin_dense_cosine_distance' language c immutable strict parallel safe;
create function l1_distance(vector, vector) returns float8
  as 'MODULE_PATHNAME', 'standin_dense_l1_distance' language c immutable strict parallel safe;
create function vector_dims(vector) returns integer
  as 'MODULE_PATHNAME', 'standin_dense_dims' language c immutable strict parallel safe;
create function vector_norm(vector) returns float8
  as 'MODULE_PATHNAME', 'standin_dense_norm' language c immutable strict parallel safe;
create function l2_normalize(vector) returns vector
  as 'MODULE_PATHNAME', 'standin_vector_l2_normalize' language c immutable strict parallel safe;
create function binary_quantize(vector) returns bit
  as 'MODULE_PATHNAME', 'standin_dense_binary_quantize' language c immutable strict parallel safe;
create function subvector(vector, int, int) returns vector
  as 'MODULE_PATHNAME', 'standin_dense_subvector' language c immutable strict parallel safe;

create function vector_add(vector, vector) returns vector
  as 'MODULE_PATHNAME', 'standin_vector_add' language c immutable strict parallel safe;
create function vector_sub(vector, vector) returns vector
  as 'MODULE_PATHNAME', 'standin_vector_sub' language c immutable strict parallel safe;
create function vector_mul(vector, vector) returns vector
  as 'MODULE_PATHNAME', 'standin_vector_mul' language c immutable strict parallel safe;
create function vector_concat(vector, vector) returns vector
  as 'MODULE_PATHNAME', 'standin_dense_concat' language c immutable strict parallel safe;
create function vector_lt(vector, vector) returns bool
  as 'MODULE_PATHNAME', 'standin_dense_lt' language c immutable strict parallel safe;
create function vector_le(vector, vector) returns bool
  as 'MODULE_PATHNAME', 'standin_dense_le' language c immutable strict parallel safe;
create function vector_eq(vector, vector) returns bool
  as 'MODULE_PATHNAME', 'standin_dense_eq' language c immutable strict parallel safe;
create function vector_ne(vector, vector) returns bool
  as 'MODULE_PATHNAME', 'standin_dense_ne' language c immutable strict parallel safe;
create function vector_ge(vector, vector) returns bool
  as 'MODULE_PATHNAME', 'standin_dense_ge' language c immutable strict parallel safe;
create function vector_gt(vector, vector) returns bool
  as 'MODULE_PATHNAME', 'standin_dense_gt' language c immutable strict parallel safe;
create function vector_cmp(vector, vector) returns int4
  as 'MODULE_PATHNAME', 'standin_dense_cmp' language c immutable strict parallel safe;
create function vector_l2_squared_distance(vector, vector) returns float8
  as 'MODULE_PATHNAME', 'standin_dense_l2_squared_distance' language c immutable strict parallel safe;
create function vector_negative_inner_product(vector, vector) returns float8
  as 'MODULE_PATHNAME', 'standin_dense_negative_inner_product' language c immutable strict parallel safe;
create function vector_spherical_distance(vector, vector) returns float8
  as 'MODULE_PATHNAME', 'standin_dense_spherical_distance' language c immutable strict parallel safe;
create function vector_accum(double precision[], vector) returns double precision[]
  as 'MODULE_PATHNAME', 'standin_dense_accum' language c immutable strict parallel safe;
create function vector_avg(double precision[]) returns vector
  as 'MODULE_PATHNAME', 'standin_vector_avg' language c immutable strict parallel safe;
create function vector_combine(double precision[], double precision[]) returns double precision[]
  as 'MODULE_PATHNAME', 'standin_dense_combine' language c immutable strict parallel safe;

create aggregate avg(vector) (
  sfunc = vector_accum, stype = double precision[], finalfunc = vector_avg,
  combinefunc = vector_combine, initcond = '{0}', parallel = safe
);
create aggregate sum(vector) (
  sfunc = vector_add, stype = vector, combinefunc = vector_add, parallel = safe
);

create function vector(vector, integer, boolean) returns vector
  as 'MODULE_PATHNAME', 'standin_dense_typmod_cast' language c immutable strict parallel safe;
create function array_to_vector(integer[], integer, boolean) returns vector
  as 'MODULE_PATHNAME', 'standin_array_to_vector' language c immutable strict parallel safe;
create function array_to_vector(real[], integer, boolean) returns vector
  as 'MODULE_PATHNAME', 'standin_array_to_vector' language c immutable strict parallel safe;
create function array_to_vector(double precision[], integer, boolean) returns vector
  as 'MODULE_PATHNAME', 'standin_array_to_vector' language c immutable strict parallel safe;
create function array_to_vector(numeric[], integer, boolean) returns vector
  as 'MODULE_PATHNAME', 'standin_array_to_vector' language c immutable strict parallel safe;
create function vector_to_float4(vector, integer, boolean) returns real[]
  as 'MODULE_PATHNAME', 'standin_dense_to_float4' language c immutable strict parallel safe;

create cast (vector as vector) with function vector(vector, integer, boolean) as implicit;
create cast (vector as real[]) with function vector_to_float4(vector, integer, boolean) as implicit;
create cast (integer[] as vector) with function array_to_vector(integer[], integer, boolean) as assignment;
create cast (real[] as vector) with function array_to_vector(real[], integer, boolean) as assignment;
create cast (double precision[] as vector) with function array_to_vector(double precision[], integer, boolean) as assignment;
create cast (numeric[] as vector) with function array_to_vector(numeric[], integer, boolean) as assignment;

create operator <-> (leftarg = vector, rightarg = vector, function = l2_distance, commutator = '<->');
create operator <#> (leftarg = vector, rightarg = vector, function = vector_negative_inner_product, commutator = '<#>');
create operator <=> (leftarg = vector, rightarg = vector, function = cosine_distance, commutator = '<=>');
create operator <+> (leftarg = vector, rightarg = vector, function = l1_distance, commutator = '<+>');
create operator + (leftarg = vector, rightarg = vector, function = vector_add, commutator = +);
create operator - (leftarg = vector, rightarg = vector, function = vector_sub);
create operator * (leftarg = vector, rightarg = vector, function = vector_mul, commutator = *);
create operator || (leftarg = vector, rightarg = vector, function = vector_concat);
create operator < (leftarg = vector, rightarg = vector, function = vector_lt,
  commutator = >, negator = >=, restrict = scalarltsel, join = scalarltjoinsel);
create operator <= (leftarg = vector, rightarg = vector, function = vector_le,
  commutator = >=, negator = >, restrict = scalarlesel, join = scalarlejoinsel);
create operator = (leftarg = vector, rightarg = vector, function = vector_eq,
  commutator = =, negator = <>, restrict = eqsel, join = eqjoinsel);
create operator <> (leftarg = vector, rightarg = vector, function = vector_ne,
  commutator = <>, negator = =, restrict = eqsel, join = eqjoinsel);
create operator >= (leftarg = vector, rightarg = vector, function = vector_ge,
  commutator = <=, negator = <, restrict = scalargesel, join = scalargejoinsel);
create operator > (leftarg = vector, rightarg = vector, function = vector_gt,
  commutator = <, negator = <=, restrict = scalargtsel, join = scalargtjoinsel);

-- ===================================================================
-- access methods (store nothing; see standin.c)
-- ===================================================================

create function ivfflathandler(internal) returns index_am_handler
  as 'MODULE_PATHNAME', 'standin_ivfflat_handler' language c;
create access method ivfflat type index handler ivfflathandler;
comment on access method ivfflat is 'ivfflat index access method';

create function hnswhandler(internal) returns index_am_handler
  as 'MODULE_PATHNAME', 'standin_hnsw_handler' language c;
create access method hnsw type index handler hnswhandler;
comment on access method hnsw is 'hnsw index access method';

create function ivfflat_halfvec_support(internal) returns internal
  as 'MODULE_PATHNAME', 'standin_support' language c;
create function ivfflat_bit_support(internal) returns internal
  as 'MODULE_PATHNAME', 'standin_support' language c;
create function hnsw_halfvec_support(internal) returns internal
  as 'MODULE_PATHNAME', 'standin_support' language c;
create function hnsw_bit_support(internal) returns internal
  as 'MODULE_PATHNAME', 'standin_support' language c;
create function hnsw_sparsevec_support(internal) returns internal
  as 'MODULE_PATHNAME', 'standin_support' language c;

-- vector operator classes

create operator class vector_ops default for type vector using btree as
  operator 1 <, operator 2 <=, operator 3 =, operator 4 >=, operator 5 >,
  function 1 vector_cmp(vector, vector);

create operator class vector_l2_ops default for type vector using ivfflat as
  operator 1 <-> (vector, vector) for order by float_ops,
  function 1 vector_l2_squared_distance(vector, vector),
  function 3 l2_distance(vector, vector);
create operator class vector_ip_ops for type vector using ivfflat as
  operator 1 <#> (vector, vector) for order by float_ops,
  function 1 vector_negative_inner_product(vector, vector),
  function 3 vector_spherical_distance(vector, vector),
  function 4 vector_norm(vector);
create operator class vector_cosine_ops for type vector using ivfflat as
  operator 1 <=> (vector, vector) for order by float_ops,
  function 1 vector_negative_inner_product(vector, vector),
  function 2 vector_norm(vector),
  function 3 vector_spherical_distance(vector, vector),
  function 4 vector_norm(vector);

create operator class vector_l2_ops for type vector using hnsw as
  operator 1 <-> (vector, vector) for order by float_ops,
  function 1 vector_l2_squared_distance(vector, vector);
create operator class vector_ip_ops for type vector using hnsw as
  operator 1 <#> (vector, vector) for order by float_ops,
  function 1 vector_negative_inner_product(vector, vector);
create operator class vector_cosine_ops for type vector using hnsw as
  operator 1 <=> (vector, vector) for order by float_ops,
  function 1 vector_negative_inner_product(vector, vector),
  function 2 vector_norm(vector);
create operator class vector_l1_ops for type vector using hnsw as
  operator 1 <+> (vector, vector) for order by float_ops,
  function 1 l1_distance(vector, vector);

-- ===================================================================
-- halfvec
-- ===================================================================

create type halfvec;

create function halfvec_in(cstring, oid, integer) returns halfvec
  as 'MODULE_PATHNAME', 'standin_halfvec_in' language c immutable strict parallel safe;
create function halfvec_out(halfvec) returns cstring
  as 'MODULE_PATHNAME', 'standin_dense_out' language c immutable strict parallel safe;
create function halfvec_typmod_in(cstring[]) returns integer
  as 'MODULE_PATHNAME', 'standin_halfvec_typmod_in' language c immutable strict parallel safe;
create function halfvec_recv(internal, oid, integer) returns halfvec
  as 'MODULE_PATHNAME', 'standin_halfvec_recv' language c immutable strict parallel safe;
create function halfvec_send(halfvec) returns bytea
  as 'MODULE_PATHNAME', 'standin_halfvec_send' language c immutable strict parallel safe;

create type halfvec (
  input = halfvec_in, output = halfvec_out, typmod_in = halfvec_typmod_in,
  receive = halfvec_recv, send = halfvec_send, storage = external
);

create function l2_distance(halfvec, halfvec) returns float8
  as 'MODULE_PATHNAME', 'standin_dense_l2_distance' language c immutable strict parallel safe;
create function inner_product(halfvec, halfvec) returns float8
  as 'MODULE_PATHNAME', 'standin_dense_inner_product' language c immutable strict parallel safe;
create function cosine_distance(halfvec, halfvec) returns float8
  as 'MODULE_PATHNAME', 'standin_dense_cosine_distance' language c immutable strict parallel safe;
create function l1_distance(halfvec, halfvec) returns float8
  as 'MODULE_PATHNAME', 'standin_dense_l1_distance' language c immutable strict parallel safe;
create function vector_dims(halfvec) returns integer
  as 'MODULE_PATHNAME', 'standin_dense_dims' language c immutable strict parallel safe;
create function l2_norm(halfvec) returns float8
  as 'MODULE_PATHNAME', 'standin_dense_norm' language c immutable strict parallel safe;
create function l2_normalize(halfvec) returns halfvec
  as 'MODULE_PATHNAME', 'standin_halfvec_l2_normalize' language c immutable strict parallel safe;
create function binary_quantize(halfvec) returns bit
  as 'MODULE_PATHNAME', 'standin_dense_binary_quantize' language c immutable strict parallel safe;
create function subvector(halfvec, int, int) returns halfvec
  as 'MODULE_PATHNAME', 'standin_dense_subvector' language c immutable strict parallel safe;

create function halfvec_add(halfvec, halfvec) returns halfvec
  as 'MODULE_PATHNAME', 'standin_halfvec_add' language c immutable strict parallel safe;
create function halfvec_sub(halfvec, halfvec) returns halfvec
  as 'MODULE_PATHNAME', 'standin_halfvec_sub' language c immutable strict parallel safe;
create function halfvec_mul(halfvec, halfvec) returns halfvec
  as 'MODULE_PATHNAME', 'standin_halfvec_mul' language c immutable strict parallel safe;
create function halfvec_concat(halfvec, halfvec) returns halfvec
  as 'MODULE_PATHNAME', 'standin_dense_concat' language c immutable strict parallel safe;
create function halfvec_lt(halfvec, halfvec) returns bool
  as 'MODULE_PATHNAME', 'standin_dense_lt' language c immutable strict parallel safe;
create function halfvec_le(halfvec, halfvec) returns bool
  as 'MODULE_PATHNAME', 'standin_dense_le' language c immutable strict parallel safe;
create function halfvec_eq(halfvec, halfvec) returns bool
  as 'MODULE_PATHNAME', 'standin_dense_eq' language c immutable strict parallel safe;
create function halfvec_ne(halfvec, halfvec) returns bool
  as 'MODULE_PATHNAME', 'standin_dense_ne' language c immutable strict parallel safe;
create function halfvec_ge(halfvec, halfvec) returns bool
  as 'MODULE_PATHNAME', 'standin_dense_ge' language c immutable strict parallel safe;
create function halfvec_gt(halfvec, halfvec) returns bool
  as 'MODULE_PATHNAME', 'standin_dense_gt' language c immutable strict parallel safe;
create function halfvec_cmp(halfvec, halfvec) returns int4
  as 'MODULE_PATHNAME', 'standin_dense_cmp' language c immutable strict parallel safe;
create function halfvec_l2_squared_distance(halfvec, halfvec) returns float8
  as 'MODULE_PATHNAME', 'standin_dense_l2_squared_distance' language c immutable strict parallel safe;
create function halfvec_negative_inner_product(halfvec, halfvec) returns float8
  as 'MODULE_PATHNAME', 'standin_dense_negative_inner_product' language c immutable strict parallel safe;
create function halfvec_spherical_distance(halfvec, halfvec) returns float8
  as 'MODULE_PATHNAME', 'standin_dense_spherical_distance' language c immutable strict parallel safe;
create function halfvec_accum(double precision[], halfvec) returns double precision[]
  as 'MODULE_PATHNAME', 'standin_dense_accum' language c immutable strict parallel safe;
create function halfvec_avg(double precision[]) returns halfvec
  as 'MODULE_PATHNAME', 'standin_halfvec_avg' language c immutable strict parallel safe;
create function halfvec_combine(double precision[], double precision[]) returns double precision[]
  as 'MODULE_PATHNAME', 'standin_dense_combine' language c immutable strict parallel safe;

create aggregate avg(halfvec) (
  sfunc = halfvec_accum, stype = double precision[], finalfunc = halfvec_avg,
  combinefunc = halfvec_combine, initcond = '{0}', parallel = safe
);
create aggregate sum(halfvec) (
  sfunc = halfvec_add, stype = halfvec, combinefunc = halfvec_add, parallel = safe
);

create function halfvec(halfvec, integer, boolean) returns halfvec
  as 'MODULE_PATHNAME', 'standin_dense_typmod_cast' language c immutable strict parallel safe;
create function halfvec_to_vector(halfvec, integer, boolean) returns vector
  as 'MODULE_PATHNAME', 'standin_dense_to_vector' language c immutable strict parallel safe;
create function vector_to_halfvec(vector, integer, boolean) returns halfvec
  as 'MODULE_PATHNAME', 'standin_dense_to_halfvec' language c immutable strict parallel safe;
create function array_to_halfvec(integer[], integer, boolean) returns halfvec
  as 'MODULE_PATHNAME', 'standin_array_to_halfvec' language c immutable strict parallel safe;
create function array_to_halfvec(real[], integer, boolean) returns halfvec
  as 'MODULE_PATHNAME', 'standin_array_to_halfvec' language c immutable strict parallel safe;
create function array_to_halfvec(double precision[], integer, boolean) returns halfvec
  as 'MODULE_PATHNAME', 'standin_array_to_halfvec' language c immutable strict parallel safe;
create function array_to_halfvec(numeric[], integer, boolean) returns halfvec
  as 'MODULE_PATHNAME', 'standin_array_to_halfvec' language c immutable strict parallel safe;
create function halfvec_to_float4(halfvec, integer, boolean) returns real[]
  as 'MODULE_PATHNAME', 'standin_dense_to_float4' language c immutable strict parallel safe;

create cast (halfvec as halfvec) with function halfvec(halfvec, integer, boolean) as implicit;
create cast (halfvec as vector) with function halfvec_to_vector(halfvec, integer, boolean) as assignment;
create cast (vector as halfvec) with function vector_to_halfvec(vector, integer, boolean) as implicit;
create cast (halfvec as real[]) with function halfvec_to_float4(halfvec, integer, boolean) as assignment;
create cast (integer[] as halfvec) with function array_to_halfvec(integer[], integer, boolean) as assignment;
create cast (real[] as halfvec) with function array_to_halfvec(real[], integer, boolean) as assignment;
create cast (double precision[] as halfvec) with function array_to_halfvec(double precision[], integer, boolean) as assignment;
create cast (numeric[] as halfvec) with function array_to_halfvec(numeric[], integer, boolean) as assignment;

create operator <-> (leftarg = halfvec, rightarg = halfvec, function = l2_distance, commutator = '<->');
create operator <#> (leftarg = halfvec, rightarg = halfvec, function = halfvec_negative_inner_product, commutator = '<#>');
create operator <=> (leftarg = halfvec, rightarg = halfvec, function = cosine_distance, commutator = '<=>');
create operator <+> (leftarg = halfvec, rightarg = halfvec, function = l1_distance, commutator = '<+>');
create operator + (leftarg = halfvec, rightarg = halfvec, function = halfvec_add, commutator = +);
create operator - (leftarg = halfvec, rightarg = halfvec, function = halfvec_sub);
create operator * (leftarg = halfvec, rightarg = halfvec, function = halfvec_mul, commutator = *);
create operator || (leftarg = halfvec, rightarg = halfvec, function = halfvec_concat);
create operator < (leftarg = halfvec, rightarg = halfvec, function = halfvec_lt,
  commutator = >, negator = >=, restrict = scalarltsel, join = scalarltjoinsel);
create operator <= (leftarg = halfvec, rightarg = halfvec, function = halfvec_le,
  commutator = >=, negator = >, restrict = scalarlesel, join = scalarlejoinsel);
create operator = (leftarg = halfvec, rightarg = halfvec, function = halfvec_eq,
  commutator = =, negator = <>, restrict = eqsel, join = eqjoinsel);
create operator <> (leftarg = halfvec, rightarg = halfvec, function = halfvec_ne,
  commutator = <>, negator = =, restrict = eqsel, join = eqjoinsel);
create operator >= (leftarg = halfvec, rightarg = halfvec, function = halfvec_ge,
  commutator = <=, negator = <, restrict = scalargesel, join = scalargejoinsel);
create operator > (leftarg = halfvec, rightarg = halfvec, function = halfvec_gt,
  commutator = <, negator = <=, restrict = scalargtsel, join = scalargtjoinsel);

create operator class halfvec_ops default for type halfvec using btree as
  operator 1 <, operator 2 <=, operator 3 =, operator 4 >=, operator 5 >,
  function 1 halfvec_cmp(halfvec, halfvec);

create operator class halfvec_l2_ops for type halfvec using ivfflat as
  operator 1 <-> (halfvec, halfvec) for order by float_ops,
  function 1 halfvec_l2_squared_distance(halfvec, halfvec),
  function 3 l2_distance(halfvec, halfvec),
  function 5 ivfflat_halfvec_support(internal);
create operator class halfvec_ip_ops for type halfvec using ivfflat as
  operator 1 <#> (halfvec, halfvec) for order by float_ops,
  function 1 halfvec_negative_inner_product(halfvec, halfvec),
  function 3 halfvec_spherical_distance(halfvec, halfvec),
  function 4 l2_norm(halfvec),
  function 5 ivfflat_halfvec_support(internal);
create operator class halfvec_cosine_ops for type halfvec using ivfflat as
  operator 1 <=> (halfvec, halfvec) for order by float_ops,
  function 1 halfvec_negative_inner_product(halfvec, halfvec),
  function 2 l2_norm(halfvec),
  function 3 halfvec_spherical_distance(halfvec, halfvec),
  function 4 l2_norm(halfvec),
  function 5 ivfflat_halfvec_support(internal);

create operator class halfvec_l2_ops for type halfvec using hnsw as
  operator 1 <-> (halfvec, halfvec) for order by float_ops,
  function 1 halfvec_l2_squared_distance(halfvec, halfvec),
  function 3 hnsw_halfvec_support(internal);
create operator class halfvec_ip_ops for type halfvec using hnsw as
  operator 1 <#> (halfvec, halfvec) for order by float_ops,
  function 1 halfvec_negative_inner_product(halfvec, halfvec),
  function 3 hnsw_halfvec_support(internal);
create operator class halfvec_cosine_ops for type halfvec using hnsw as
  operator 1 <=> (halfvec, halfvec) for order by float_ops,
  function 1 halfvec_negative_inner_product(halfvec, halfvec),
  function 2 l2_norm(halfvec),
  function 3 hnsw_halfvec_support(internal);
create operator class halfvec_l1_ops for type halfvec using hnsw as
  operator 1 <+> (halfvec, halfvec) for order by float_ops,
  function 1 l1_distance(halfvec, halfvec),
  function 3 hnsw_halfvec_support(internal);

-- ===================================================================
-- bit
-- ===================================================================

create function hamming_distance(bit, bit) returns float8
  as 'MODULE_PATHNAME', 'standin_hamming_distance' language c immutable strict parallel safe;
create function jaccard_distance(bit, bit) returns float8
  as 'MODULE_PATHNAME', 'standin_jaccard_distance' language c immutable strict parallel safe;

create operator <~> (leftarg = bit, rightarg = bit, function = hamming_distance, commutator = '<~>');
create operator <%> (leftarg = bit, rightarg = bit, function = jaccard_distance, commutator = '<%>');

create operator class bit_hamming_ops for type bit using ivfflat as
  operator 1 <~> (bit, bit) for order by float_ops,
  function 1 hamming_distance(bit, bit),
  function 3 hamming_distance(bit, bit),
  function 5 ivfflat_bit_support(internal);
create operator class bit_hamming_ops for type bit using hnsw as
  operator 1 <~> (bit, bit) for order by float_ops,
  function 1 hamming_distance(bit, bit),
  function 3 hnsw_bit_support(internal);
create operator class bit_jaccard_ops for type bit using hnsw as
  operator 1 <%> (bit, bit) for order by float_ops,
  function 1 jaccard_distance(bit, bit),
  function 3 hnsw_bit_support(internal);

-- ===================================================================
-- sparsevec (distances and norms are DUMMY zeros in this stand-in)
-- ===================================================================

create type sparsevec;

create function sparsevec_in(cstring, oid, integer) returns sparsevec
  as 'MODULE_PATHNAME', 'standin_sparsevec_in' language c immutable strict parallel safe;
create function sparsevec_out(sparsevec) returns cstring
  as 'MODULE_PATHNAME', 'standin_sparsevec_out' language c immutable strict parallel safe;
create function sparsevec_typmod_in(cstring[]) returns integer
  as 'MODULE_PATHNAME', 'standin_sparsevec_typmod_in' language c immutable strict parallel safe;
create function sparsevec_recv(internal, oid, integer) returns sparsevec
  as 'MODULE_PATHNAME', 'standin_sparsevec_recv' language c immutable strict parallel safe;
create function sparsevec_send(sparsevec) returns bytea
  as 'MODULE_PATHNAME', 'standin_sparsevec_send' language c immutable strict parallel safe;

create type sparsevec (
  input = sparsevec_in, output = sparsevec_out, typmod_in = sparsevec_typmod_in,
  receive = sparsevec_recv, send = sparsevec_send, storage = external
);

create function l2_distance(sparsevec, sparsevec) returns float8
  as 'MODULE_PATHNAME', 'standin_dummy_float8' language c immutable strict parallel safe;
create function inner_product(sparsevec, sparsevec) returns float8
  as 'MODULE_PATHNAME', 'standin_dummy_float8' language c immutable strict parallel safe;
create function cosine_distance(sparsevec, sparsevec) returns float8
  as 'MODULE_PATHNAME', 'standin_dummy_float8' language c immutable strict parallel safe;
create function l1_distance(sparsevec, sparsevec) returns float8
  as 'MODULE_PATHNAME', 'standin_dummy_float8' language c immutable strict parallel safe;
create function l2_norm(sparsevec) returns float8
  as 'MODULE_PATHNAME', 'standin_dummy_float8' language c immutable strict parallel safe;
create function l2_normalize(sparsevec) returns sparsevec
  as 'MODULE_PATHNAME', 'standin_identity' language c immutable strict parallel safe;

create function sparsevec_lt(sparsevec, sparsevec) returns bool
  as 'MODULE_PATHNAME', 'standin_sparse_lt' language c immutable strict parallel safe;
create function sparsevec_le(sparsevec, sparsevec) returns bool
  as 'MODULE_PATHNAME', 'standin_sparse_le' language c immutable strict parallel safe;
create function sparsevec_eq(sparsevec, sparsevec) returns bool
  as 'MODULE_PATHNAME', 'standin_sparse_eq' language c immutable strict parallel safe;
create function sparsevec_ne(sparsevec, sparsevec) returns bool
  as 'MODULE_PATHNAME', 'standin_sparse_ne' language c immutable strict parallel safe;
create function sparsevec_ge(sparsevec, sparsevec) returns bool
  as 'MODULE_PATHNAME', 'standin_sparse_ge' language c immutable strict parallel safe;
create function sparsevec_gt(sparsevec, sparsevec) returns bool
  as 'MODULE_PATHNAME', 'standin_sparse_gt' language c immutable strict parallel safe;
create function sparsevec_cmp(sparsevec, sparsevec) returns int4
  as 'MODULE_PATHNAME', 'standin_sparse_cmp' language c immutable strict parallel safe;
create function sparsevec_l2_squared_distance(sparsevec, sparsevec) returns float8
  as 'MODULE_PATHNAME', 'standin_dummy_float8' language c immutable strict parallel safe;
create function sparsevec_negative_inner_product(sparsevec, sparsevec) returns float8
  as 'MODULE_PATHNAME', 'standin_dummy_float8' language c immutable strict parallel safe;

create function sparsevec(sparsevec, integer, boolean) returns sparsevec
  as 'MODULE_PATHNAME', 'standin_sparsevec_typmod_cast' language c immutable strict parallel safe;
create function vector_to_sparsevec(vector, integer, boolean) returns sparsevec
  as 'MODULE_PATHNAME', 'standin_dense_to_sparsevec' language c immutable strict parallel safe;
create function sparsevec_to_vector(sparsevec, integer, boolean) returns vector
  as 'MODULE_PATHNAME', 'standin_sparsevec_to_vector' language c immutable strict parallel safe;
create function halfvec_to_sparsevec(halfvec, integer, boolean) returns sparsevec
  as 'MODULE_PATHNAME', 'standin_dense_to_sparsevec' language c immutable strict parallel safe;
create function sparsevec_to_halfvec(sparsevec, integer, boolean) returns halfvec
  as 'MODULE_PATHNAME', 'standin_sparsevec_to_halfvec' language c immutable strict parallel safe;
create function array_to_sparsevec(integer[], integer, boolean) returns sparsevec
  as 'MODULE_PATHNAME', 'standin_array_to_sparsevec' language c immutable strict parallel safe;
create function array_to_sparsevec(real[], integer, boolean) returns sparsevec
  as 'MODULE_PATHNAME', 'standin_array_to_sparsevec' language c immutable strict parallel safe;
create function array_to_sparsevec(double precision[], integer, boolean) returns sparsevec
  as 'MODULE_PATHNAME', 'standin_array_to_sparsevec' language c immutable strict parallel safe;
create function array_to_sparsevec(numeric[], integer, boolean) returns sparsevec
  as 'MODULE_PATHNAME', 'standin_array_to_sparsevec' language c immutable strict parallel safe;

create cast (sparsevec as sparsevec) with function sparsevec(sparsevec, integer, boolean) as implicit;
create cast (sparsevec as vector) with function sparsevec_to_vector(sparsevec, integer, boolean) as assignment;
create cast (vector as sparsevec) with function vector_to_sparsevec(vector, integer, boolean) as implicit;
create cast (sparsevec as halfvec) with function sparsevec_to_halfvec(sparsevec, integer, boolean) as assignment;
create cast (halfvec as sparsevec) with function halfvec_to_sparsevec(halfvec, integer, boolean) as implicit;
create cast (integer[] as sparsevec) with function array_to_sparsevec(integer[], integer, boolean) as assignment;
create cast (real[] as sparsevec) with function array_to_sparsevec(real[], integer, boolean) as assignment;
create cast (double precision[] as sparsevec) with function array_to_sparsevec(double precision[], integer, boolean) as assignment;
create cast (numeric[] as sparsevec) with function array_to_sparsevec(numeric[], integer, boolean) as assignment;

create operator <-> (leftarg = sparsevec, rightarg = sparsevec, function = l2_distance, commutator = '<->');
create operator <#> (leftarg = sparsevec, rightarg = sparsevec, function = sparsevec_negative_inner_product, commutator = '<#>');
create operator <=> (leftarg = sparsevec, rightarg = sparsevec, function = cosine_distance, commutator = '<=>');
create operator <+> (leftarg = sparsevec, rightarg = sparsevec, function = l1_distance, commutator = '<+>');
create operator < (leftarg = sparsevec, rightarg = sparsevec, function = sparsevec_lt,
  commutator = >, negator = >=, restrict = scalarltsel, join = scalarltjoinsel);
create operator <= (leftarg = sparsevec, rightarg = sparsevec, function = sparsevec_le,
  commutator = >=, negator = >, restrict = scalarlesel, join = scalarlejoinsel);
create operator = (leftarg = sparsevec, rightarg = sparsevec, function = sparsevec_eq,
  commutator = =, negator = <>, restrict = eqsel, join = eqjoinsel);
create operator <> (leftarg = sparsevec, rightarg = sparsevec, function = sparsevec_ne,
  commutator = <>, negator = =, restrict = eqsel, join = eqjoinsel);
create operator >= (leftarg = sparsevec, rightarg = sparsevec, function = sparsevec_ge,
  commutator = <=, negator = <, restrict = scalargesel, join = scalargejoinsel);
create operator > (leftarg = sparsevec, rightarg = sparsevec, function = sparsevec_gt,
  commutator = <, negator = <=, restrict = scalargtsel, join = scalargtjoinsel);

create operator class sparsevec_ops default for type sparsevec using btree as
  operator 1 <, operator 2 <=, operator 3 =, operator 4 >=, operator 5 >,
  function 1 sparsevec_cmp(sparsevec, sparsevec);

create operator class sparsevec_l2_ops for type sparsevec using hnsw as
  operator 1 <-> (sparsevec, sparsevec) for order by float_ops,
  function 1 sparsevec_l2_squared_distance(sparsevec, sparsevec),
  function 3 hnsw_sparsevec_support(internal);
create operator class sparsevec_ip_ops for type sparsevec using hnsw as
  operator 1 <#> (sparsevec, sparsevec) for order by float_ops,
  function 1 sparsevec_negative_inner_product(sparsevec, sparsevec),
  function 3 hnsw_sparsevec_support(internal);
create operator class sparsevec_cosine_ops for type sparsevec using hnsw as
  operator 1 <=> (sparsevec, sparsevec) for order by float_ops,
  function 1 sparsevec_negative_inner_product(sparsevec, sparsevec),
  function 2 l2_norm(sparsevec),
  function 3 hnsw_sparsevec_support(internal);
create operator class sparsevec_l1_ops for type sparsevec using hnsw as
  operator 1 <+> (sparsevec, sparsevec) for order by float_ops,
  function 1 l1_distance(sparsevec, sparsevec),
  function 3 hnsw_sparsevec_support(internal);
