/*
 * Schema-level stand-in for pgvector 0.8.0, used only by migsim's test
 * oracle server (see README.md).
 *
 * What is real here: the type input/output routines (text and binary, with
 * the dimension checks and typmod rules of pgvector), the typmod checks, the
 * casts between the three vector types and from/to arrays, and everything
 * the catalog sees (see vector--0.8.0.sql).  The two index access methods
 * accept and validate pgvector's reloptions and run pgvector's build-time
 * checks, but they store nothing: an index scan returns no rows and the
 * planner is told such a scan costs infinitely much, so it is never chosen.
 *
 * What is NOT real: nothing here is pgvector's code.  Dense distances and
 * arithmetic are computed straightforwardly; sparse-vector distances, norms
 * and the ordering of sparse vectors are DUMMY values (0, or a simple
 * lexicographic order).  Do not use this for anything but schema tests.
 */
#include "postgres.h"

#include <float.h>
#include <limits.h>
#include <math.h>

#include "access/amapi.h"
#include "access/genam.h"
#include "access/reloptions.h"
#include "access/relscan.h"
#include "access/tableam.h"
#include "catalog/index.h"
#include "catalog/pg_type.h"
#include "commands/vacuum.h"
#include "common/shortest_dec.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "port/pg_bitutils.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/syscache.h"
#include "utils/varbit.h"

PG_MODULE_MAGIC;

/* Limits of pgvector 0.8.0. */
#define DENSE_MAX_DIM 16000		/* vector and halfvec */
#define SPARSE_MAX_DIM 1000000000
#define SPARSE_MAX_NNZ 16000
#define INDEX_MAX_DIM 2000		/* vector in ivfflat/hnsw; halfvec 2x, bit 32x */

#define IVFFLAT_DEFAULT_LISTS 100
#define IVFFLAT_MAX_LISTS 32768
#define HNSW_DEFAULT_M 16
#define HNSW_DEFAULT_EF_CONSTRUCTION 64

/* vector and halfvec share one layout; halfvec elements are kept as the
 * float values of their half-precision roundings. */
typedef struct Dense
{
	int32		vl_len_;
	int16		dim;
	int16		unused;
	float4		x[FLEXIBLE_ARRAY_MEMBER];
} Dense;

/* sparsevec: nnz 0-based indices, then nnz values */
typedef struct Sparse
{
	int32		vl_len_;
	int32		dim;
	int32		nnz;
	int32		unused;
	int32		idx[FLEXIBLE_ARRAY_MEMBER];
} Sparse;

#define SPARSE_VALUES(s) ((float4 *) ((s)->idx + (s)->nnz))
#define DENSE_SIZE(d) (offsetof(Dense, x) + sizeof(float4) * (d))
#define SPARSE_SIZE(n) (offsetof(Sparse, idx) + (sizeof(int32) + sizeof(float4)) * (n))

#define ARG_DENSE(n) ((Dense *) PG_DETOAST_DATUM(PG_GETARG_DATUM(n)))
#define ARG_SPARSE(n) ((Sparse *) PG_DETOAST_DATUM(PG_GETARG_DATUM(n)))

typedef enum
{
	K_VECTOR,
	K_HALFVEC
} DenseKind;

static const char *
dense_name(DenseKind kind)
{
	return kind == K_VECTOR ? "vector" : "halfvec";
}

static Dense *
dense_new(int dim)
{
	Dense	   *r = (Dense *) palloc0(DENSE_SIZE(dim));

	SET_VARSIZE(r, DENSE_SIZE(dim));
	r->dim = dim;
	return r;
}

static Sparse *
sparse_new(int dim, int nnz)
{
	Sparse	   *r = (Sparse *) palloc0(SPARSE_SIZE(nnz));

	SET_VARSIZE(r, SPARSE_SIZE(nnz));
	r->dim = dim;
	r->nnz = nnz;
	return r;
}

/* ---------- element and dimension checks (pgvector's messages) ---------- */

static void
check_dim(const char *type, int dim, int max)
{
	if (dim < 1)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("%s must have at least 1 dimension", type)));
	if (dim > max)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s cannot have more than %d dimensions", type, max)));
}

static void
check_expected_dim(int32 typmod, int dim)
{
	if (typmod != -1 && typmod != dim)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("expected %d dimensions, not %d", typmod, dim)));
}

static void
check_element(const char *type, float value)
{
	if (isnan(value))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("NaN not allowed in %s", type)));
	if (isinf(value))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("infinite value not allowed in %s", type)));
}

/*
 * Round a float to the nearest IEEE half-precision value (ties to even) and
 * return it as a float; *overflow is set when it rounds past the half range.
 */
static float
round_to_half(float f, bool *overflow)
{
	int			e;
	double		q;
	double		r;

	*overflow = false;
	if (f == 0 || isnan(f) || isinf(f))
		return f;
	(void) frexp((double) f, &e);
	/* |f| is in [2^(e-1), 2^e): halves keep 10 fraction bits, down to 2^-24 */
	q = ldexp(1.0, Max(e - 11, -24));
	r = rint((double) f / q) * q;
	if (fabs(r) > 65504.0)
	{
		*overflow = true;
		return f;
	}
	return (float) r;
}

static float
to_kind(DenseKind kind, float f, const char *literal)
{
	bool		overflow;
	float		r;

	if (kind == K_VECTOR)
		return f;
	r = round_to_half(f, &overflow);
	if (overflow)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 literal ? errmsg("\"%s\" is out of range for type halfvec", literal)
				 : errmsg("value \"%g\" is out of range for type halfvec", f)));
	return r;
}

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* Parse one float the way float4in does; returns the end of the number. */
static char *
parse_float(const char *type, const char *lit, char *pt, float *out)
{
	char	   *end;

	while (is_space(*pt))
		pt++;
	if (*pt == '\0')
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type %s: \"%s\"", type, lit)));
	errno = 0;
	*out = strtof(pt, &end);
	if (end == pt)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type %s: \"%s\"", type, lit)));
	if (errno == ERANGE && isinf(*out))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("\"%s\" is out of range for type %s", pnstrdup(pt, end - pt), type)));
	return end;
}

static void
append_float(StringInfo buf, float f)
{
	char		tmp[FLOAT_SHORTEST_DECIMAL_LEN];
	int			n = float_to_shortest_decimal_bufn(f, tmp);

	appendBinaryStringInfo(buf, tmp, n);
}

/* ---------- dense text and binary I/O ---------- */

static Datum
dense_in(DenseKind kind, char *lit, int32 typmod)
{
	const char *type = dense_name(kind);
	float	   *x = palloc(sizeof(float) * DENSE_MAX_DIM);
	int			dim = 0;
	char	   *pt = lit;
	Dense	   *r;

	while (is_space(*pt))
		pt++;
	if (*pt != '[')
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type %s: \"%s\"", type, lit),
				 errdetail("Vector contents must start with \"[\".")));
	pt++;
	while (is_space(*pt))
		pt++;
	if (*pt == ']')
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("%s must have at least 1 dimension", type)));
	for (;;)
	{
		float		v;
		char	   *start;

		if (dim == DENSE_MAX_DIM)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("%s cannot have more than %d dimensions", type, DENSE_MAX_DIM)));
		while (is_space(*pt))
			pt++;
		start = pt;
		pt = parse_float(type, lit, pt, &v);
		check_element(type, v);
		x[dim++] = to_kind(kind, v, pnstrdup(start, pt - start));
		while (is_space(*pt))
			pt++;
		if (*pt == ',')
			pt++;
		else if (*pt == ']')
		{
			pt++;
			break;
		}
		else
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid input syntax for type %s: \"%s\"", type, lit)));
	}
	while (is_space(*pt))
		pt++;
	if (*pt != '\0')
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type %s: \"%s\"", type, lit),
				 errdetail("Junk after closing right brace.")));
	check_dim(type, dim, DENSE_MAX_DIM);
	check_expected_dim(typmod, dim);
	r = dense_new(dim);
	memcpy(r->x, x, sizeof(float) * dim);
	pfree(x);
	PG_RETURN_POINTER(r);
}

static char *
dense_out(Dense *v)
{
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfoChar(&buf, '[');
	for (int i = 0; i < v->dim; i++)
	{
		if (i > 0)
			appendStringInfoChar(&buf, ',');
		append_float(&buf, v->x[i]);
	}
	appendStringInfoChar(&buf, ']');
	return buf.data;
}

static int32
typmod_in(const char *type, ArrayType *ta, int max)
{
	int			n;
	int32	   *tl = ArrayGetIntegerTypmods(ta, &n);

	if (n != 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid type modifier")));
	if (*tl < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("dimensions for type %s must be at least 1", type)));
	if (*tl > max)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("dimensions for type %s cannot exceed %d", type, max)));
	return *tl;
}

PG_FUNCTION_INFO_V1(standin_vector_in);
Datum
standin_vector_in(PG_FUNCTION_ARGS)
{
	return dense_in(K_VECTOR, PG_GETARG_CSTRING(0), PG_GETARG_INT32(2));
}

PG_FUNCTION_INFO_V1(standin_halfvec_in);
Datum
standin_halfvec_in(PG_FUNCTION_ARGS)
{
	return dense_in(K_HALFVEC, PG_GETARG_CSTRING(0), PG_GETARG_INT32(2));
}

PG_FUNCTION_INFO_V1(standin_dense_out);
Datum
standin_dense_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(dense_out(ARG_DENSE(0)));
}

PG_FUNCTION_INFO_V1(standin_vector_typmod_in);
Datum
standin_vector_typmod_in(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(typmod_in("vector", PG_GETARG_ARRAYTYPE_P(0), DENSE_MAX_DIM));
}

PG_FUNCTION_INFO_V1(standin_halfvec_typmod_in);
Datum
standin_halfvec_typmod_in(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(typmod_in("halfvec", PG_GETARG_ARRAYTYPE_P(0), DENSE_MAX_DIM));
}

PG_FUNCTION_INFO_V1(standin_sparsevec_typmod_in);
Datum
standin_sparsevec_typmod_in(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(typmod_in("sparsevec", PG_GETARG_ARRAYTYPE_P(0), SPARSE_MAX_DIM));
}

/* IEEE half-precision bits of a float that is exactly a half value */
static uint16
half_bits(float f)
{
	uint16		sign = signbit(f) ? 0x8000 : 0;
	float		a = fabsf(f);
	int			e;
	double		m;
	int			biased;

	if (a == 0)
		return sign;
	if (isinf(a))
		return sign | 0x7c00;
	m = frexp((double) a, &e);
	biased = e + 14;
	if (biased >= 1)
		return sign | (uint16) (biased << 10) | (uint16) ((m * 2 - 1) * 1024);
	return sign | (uint16) ldexp((double) a, 24);
}

static float
half_value(uint16 h)
{
	int			biased = (h >> 10) & 0x1f;
	int			mant = h & 0x3ff;
	double		v;

	if (biased == 0)
		v = ldexp((double) mant, -24);
	else if (biased == 31)
		v = mant ? NAN : INFINITY;
	else
		v = ldexp(1.0 + mant / 1024.0, biased - 15);
	return (float) ((h & 0x8000) ? -v : v);
}

/*
 * binary: int16 dim, int16 unused, then the elements, float4 for vector and
 * half-precision bits (uint16) for halfvec, as pgvector sends them
 */
static Datum
dense_recv(DenseKind kind, StringInfo buf, int32 typmod)
{
	const char *type = dense_name(kind);
	int16		dim = pq_getmsgint(buf, sizeof(int16));
	int16		unused = pq_getmsgint(buf, sizeof(int16));
	Dense	   *r;

	check_dim(type, dim, DENSE_MAX_DIM);
	check_expected_dim(typmod, dim);
	if (unused != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("expected unused to be 0, not %d", unused)));
	r = dense_new(dim);
	for (int i = 0; i < dim; i++)
	{
		float		v = kind == K_VECTOR ? pq_getmsgfloat4(buf)
			: half_value((uint16) pq_getmsgint(buf, sizeof(uint16)));

		check_element(type, v);
		r->x[i] = v;
	}
	PG_RETURN_POINTER(r);
}

PG_FUNCTION_INFO_V1(standin_vector_recv);
Datum
standin_vector_recv(PG_FUNCTION_ARGS)
{
	return dense_recv(K_VECTOR, (StringInfo) PG_GETARG_POINTER(0), PG_GETARG_INT32(2));
}

PG_FUNCTION_INFO_V1(standin_halfvec_recv);
Datum
standin_halfvec_recv(PG_FUNCTION_ARGS)
{
	return dense_recv(K_HALFVEC, (StringInfo) PG_GETARG_POINTER(0), PG_GETARG_INT32(2));
}

static Datum
dense_send(DenseKind kind, Dense *v)
{
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendint16(&buf, v->dim);
	pq_sendint16(&buf, 0);
	for (int i = 0; i < v->dim; i++)
	{
		if (kind == K_VECTOR)
			pq_sendfloat4(&buf, v->x[i]);
		else
			pq_sendint16(&buf, half_bits(v->x[i]));
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(standin_vector_send);
Datum
standin_vector_send(PG_FUNCTION_ARGS)
{
	return dense_send(K_VECTOR, ARG_DENSE(0));
}

PG_FUNCTION_INFO_V1(standin_halfvec_send);
Datum
standin_halfvec_send(PG_FUNCTION_ARGS)
{
	return dense_send(K_HALFVEC, ARG_DENSE(0));
}

/* ---------- sparse text and binary I/O ---------- */

typedef struct SparseEntry
{
	int32		idx;
	float4		val;
} SparseEntry;

static int
entry_cmp(const void *a, const void *b)
{
	int32		x = ((const SparseEntry *) a)->idx;
	int32		y = ((const SparseEntry *) b)->idx;

	return (x > y) - (x < y);
}

/* entries: 0-based indices, any order, zeros allowed; builds the value */
static Sparse *
sparse_from_entries(SparseEntry *e, int n, int dim, int32 typmod)
{
	Sparse	   *r;
	int			nnz = 0;
	float4	   *vals;

	check_dim("sparsevec", dim, SPARSE_MAX_DIM);
	check_expected_dim(typmod, dim);
	qsort(e, n, sizeof(SparseEntry), entry_cmp);
	for (int i = 0; i < n; i++)
	{
		if (e[i].idx < 0 || e[i].idx >= dim)
			ereport(ERROR,
					(errcode(ERRCODE_DATA_EXCEPTION),
					 errmsg("sparsevec index out of bounds")));
		if (i > 0 && e[i].idx == e[i - 1].idx)
			ereport(ERROR,
					(errcode(ERRCODE_DATA_EXCEPTION),
					 errmsg("sparsevec indices must not contain duplicates")));
		check_element("sparsevec", e[i].val);
		if (e[i].val != 0)
			nnz++;
	}
	if (nnz > SPARSE_MAX_NNZ)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("sparsevec cannot have more than %d non-zero elements", SPARSE_MAX_NNZ)));
	r = sparse_new(dim, nnz);
	vals = SPARSE_VALUES(r);
	nnz = 0;
	for (int i = 0; i < n; i++)
	{
		if (e[i].val == 0)
			continue;
		r->idx[nnz] = e[i].idx;
		vals[nnz++] = e[i].val;
	}
	return r;
}

PG_FUNCTION_INFO_V1(standin_sparsevec_in);
Datum
standin_sparsevec_in(PG_FUNCTION_ARGS)
{
	char	   *lit = PG_GETARG_CSTRING(0);
	int32		typmod = PG_GETARG_INT32(2);
	char	   *pt = lit;
	char	   *end;
	int			cap = 16;
	int			n = 0;
	SparseEntry *e = palloc(sizeof(SparseEntry) * cap);
	long		dim;

	while (is_space(*pt))
		pt++;
	if (*pt != '{')
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type sparsevec: \"%s\"", lit),
				 errdetail("Vector contents must start with \"{\".")));
	pt++;
	while (is_space(*pt))
		pt++;
	if (*pt == '}')
		pt++;
	else
		for (;;)
		{
			long		index;

			while (is_space(*pt))
				pt++;
			errno = 0;
			index = strtol(pt, &end, 10);
			if (end == pt || errno == ERANGE || index < INT_MIN || index > INT_MAX)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
						 errmsg("invalid input syntax for type sparsevec: \"%s\"", lit)));
			pt = end;
			while (is_space(*pt))
				pt++;
			if (*pt != ':')
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
						 errmsg("invalid input syntax for type sparsevec: \"%s\"", lit)));
			pt++;
			if (n == cap)
			{
				cap *= 2;
				e = repalloc(e, sizeof(SparseEntry) * cap);
			}
			e[n].idx = (int32) (index - 1);
			pt = parse_float("sparsevec", lit, pt, &e[n].val);
			n++;
			while (is_space(*pt))
				pt++;
			if (*pt == ',')
				pt++;
			else if (*pt == '}')
			{
				pt++;
				break;
			}
			else
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
						 errmsg("invalid input syntax for type sparsevec: \"%s\"", lit)));
		}
	while (is_space(*pt))
		pt++;
	if (*pt != '/')
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type sparsevec: \"%s\"", lit),
				 errdetail("Unexpected end of input.")));
	pt++;
	while (is_space(*pt))
		pt++;
	errno = 0;
	dim = strtol(pt, &end, 10);
	if (end == pt || errno == ERANGE || dim < INT_MIN || dim > INT_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type sparsevec: \"%s\"", lit)));
	pt = end;
	while (is_space(*pt))
		pt++;
	if (*pt != '\0')
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type sparsevec: \"%s\"", lit),
				 errdetail("Junk after closing.")));
	PG_RETURN_POINTER(sparse_from_entries(e, n, (int) dim, typmod));
}

PG_FUNCTION_INFO_V1(standin_sparsevec_out);
Datum
standin_sparsevec_out(PG_FUNCTION_ARGS)
{
	Sparse	   *s = ARG_SPARSE(0);
	float4	   *vals = SPARSE_VALUES(s);
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfoChar(&buf, '{');
	for (int i = 0; i < s->nnz; i++)
	{
		if (i > 0)
			appendStringInfoChar(&buf, ',');
		appendStringInfo(&buf, "%d:", s->idx[i] + 1);
		append_float(&buf, vals[i]);
	}
	appendStringInfo(&buf, "}/%d", s->dim);
	PG_RETURN_CSTRING(buf.data);
}

/* binary: int32 dim, int32 nnz, int32 unused, nnz int32 indices, nnz float4 */
PG_FUNCTION_INFO_V1(standin_sparsevec_recv);
Datum
standin_sparsevec_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int32		typmod = PG_GETARG_INT32(2);
	int32		dim = pq_getmsgint(buf, sizeof(int32));
	int32		nnz = pq_getmsgint(buf, sizeof(int32));
	int32		unused = pq_getmsgint(buf, sizeof(int32));
	SparseEntry *e;

	if (unused != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("expected unused to be 0, not %d", unused)));
	if (nnz < 0 || nnz > SPARSE_MAX_NNZ)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("sparsevec cannot have more than %d non-zero elements", SPARSE_MAX_NNZ)));
	e = palloc(sizeof(SparseEntry) * Max(nnz, 1));
	for (int i = 0; i < nnz; i++)
		e[i].idx = pq_getmsgint(buf, sizeof(int32));
	for (int i = 0; i < nnz; i++)
		e[i].val = pq_getmsgfloat4(buf);
	PG_RETURN_POINTER(sparse_from_entries(e, nnz, dim, typmod));
}

PG_FUNCTION_INFO_V1(standin_sparsevec_send);
Datum
standin_sparsevec_send(PG_FUNCTION_ARGS)
{
	Sparse	   *s = ARG_SPARSE(0);
	float4	   *vals = SPARSE_VALUES(s);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendint32(&buf, s->dim);
	pq_sendint32(&buf, s->nnz);
	pq_sendint32(&buf, 0);
	for (int i = 0; i < s->nnz; i++)
		pq_sendint32(&buf, s->idx[i]);
	for (int i = 0; i < s->nnz; i++)
		pq_sendfloat4(&buf, vals[i]);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* ---------- casts ---------- */

/* vector(vector, integer, boolean) and halfvec(...): the typmod check */
PG_FUNCTION_INFO_V1(standin_dense_typmod_cast);
Datum
standin_dense_typmod_cast(PG_FUNCTION_ARGS)
{
	Dense	   *v = ARG_DENSE(0);

	check_expected_dim(PG_GETARG_INT32(1), v->dim);
	PG_RETURN_POINTER(v);
}

PG_FUNCTION_INFO_V1(standin_sparsevec_typmod_cast);
Datum
standin_sparsevec_typmod_cast(PG_FUNCTION_ARGS)
{
	Sparse	   *s = ARG_SPARSE(0);

	check_expected_dim(PG_GETARG_INT32(1), s->dim);
	PG_RETURN_POINTER(s);
}

/* integer[], real[], double precision[] or numeric[] to float values */
static float *
array_floats(ArrayType *a, int *n)
{
	Oid			elem = ARR_ELEMTYPE(a);
	int16		typlen;
	bool		typbyval;
	char		typalign;
	Datum	   *d;
	float	   *x;

	if (ARR_NDIM(a) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("array must be 1-D")));
	if (ARR_HASNULL(a) && array_contains_nulls(a))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("array must not contain nulls")));
	get_typlenbyvalalign(elem, &typlen, &typbyval, &typalign);
	deconstruct_array(a, elem, typlen, typbyval, typalign, &d, NULL, n);
	x = palloc(sizeof(float) * Max(*n, 1));
	for (int i = 0; i < *n; i++)
	{
		if (elem == INT4OID)
			x[i] = (float) DatumGetInt32(d[i]);
		else if (elem == FLOAT8OID)
			x[i] = (float) DatumGetFloat8(d[i]);
		else if (elem == FLOAT4OID)
			x[i] = DatumGetFloat4(d[i]);
		else if (elem == NUMERICOID)
			x[i] = DatumGetFloat4(DirectFunctionCall1(numeric_float4, d[i]));
		else
			ereport(ERROR,
					(errcode(ERRCODE_DATA_EXCEPTION),
					 errmsg("unsupported array type")));
	}
	return x;
}

static Dense *
dense_from_floats(DenseKind kind, float *x, int n, int32 typmod)
{
	Dense	   *r;

	check_dim(dense_name(kind), n, DENSE_MAX_DIM);
	check_expected_dim(typmod, n);
	r = dense_new(n);
	for (int i = 0; i < n; i++)
	{
		check_element(dense_name(kind), x[i]);
		r->x[i] = to_kind(kind, x[i], NULL);
	}
	return r;
}

static Sparse *
sparse_from_floats(float *x, int n, int32 typmod)
{
	SparseEntry *e = palloc(sizeof(SparseEntry) * Max(n, 1));

	for (int i = 0; i < n; i++)
	{
		e[i].idx = i;
		e[i].val = x[i];
	}
	return sparse_from_entries(e, n, n, typmod);
}

PG_FUNCTION_INFO_V1(standin_array_to_vector);
Datum
standin_array_to_vector(PG_FUNCTION_ARGS)
{
	int			n;
	float	   *x = array_floats(PG_GETARG_ARRAYTYPE_P(0), &n);

	PG_RETURN_POINTER(dense_from_floats(K_VECTOR, x, n, PG_GETARG_INT32(1)));
}

PG_FUNCTION_INFO_V1(standin_array_to_halfvec);
Datum
standin_array_to_halfvec(PG_FUNCTION_ARGS)
{
	int			n;
	float	   *x = array_floats(PG_GETARG_ARRAYTYPE_P(0), &n);

	PG_RETURN_POINTER(dense_from_floats(K_HALFVEC, x, n, PG_GETARG_INT32(1)));
}

PG_FUNCTION_INFO_V1(standin_array_to_sparsevec);
Datum
standin_array_to_sparsevec(PG_FUNCTION_ARGS)
{
	int			n;
	float	   *x = array_floats(PG_GETARG_ARRAYTYPE_P(0), &n);

	PG_RETURN_POINTER(sparse_from_floats(x, n, PG_GETARG_INT32(1)));
}

PG_FUNCTION_INFO_V1(standin_dense_to_float4);
Datum
standin_dense_to_float4(PG_FUNCTION_ARGS)
{
	Dense	   *v = ARG_DENSE(0);
	Datum	   *d = palloc(sizeof(Datum) * Max(v->dim, 1));

	for (int i = 0; i < v->dim; i++)
		d[i] = Float4GetDatum(v->x[i]);
	PG_RETURN_POINTER(construct_array(d, v->dim, FLOAT4OID, sizeof(float4), true, TYPALIGN_INT));
}

PG_FUNCTION_INFO_V1(standin_dense_to_vector);
Datum
standin_dense_to_vector(PG_FUNCTION_ARGS)
{
	Dense	   *v = ARG_DENSE(0);

	PG_RETURN_POINTER(dense_from_floats(K_VECTOR, v->x, v->dim, PG_GETARG_INT32(1)));
}

PG_FUNCTION_INFO_V1(standin_dense_to_halfvec);
Datum
standin_dense_to_halfvec(PG_FUNCTION_ARGS)
{
	Dense	   *v = ARG_DENSE(0);

	PG_RETURN_POINTER(dense_from_floats(K_HALFVEC, v->x, v->dim, PG_GETARG_INT32(1)));
}

PG_FUNCTION_INFO_V1(standin_dense_to_sparsevec);
Datum
standin_dense_to_sparsevec(PG_FUNCTION_ARGS)
{
	Dense	   *v = ARG_DENSE(0);

	PG_RETURN_POINTER(sparse_from_floats(v->x, v->dim, PG_GETARG_INT32(1)));
}

static Dense *
sparse_to_dense(DenseKind kind, Sparse *s, int32 typmod)
{
	float4	   *vals = SPARSE_VALUES(s);
	Dense	   *r;

	check_dim(dense_name(kind), s->dim, DENSE_MAX_DIM);
	check_expected_dim(typmod, s->dim);
	r = dense_new(s->dim);
	for (int i = 0; i < s->nnz; i++)
		r->x[s->idx[i]] = to_kind(kind, vals[i], NULL);
	return r;
}

PG_FUNCTION_INFO_V1(standin_sparsevec_to_vector);
Datum
standin_sparsevec_to_vector(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(sparse_to_dense(K_VECTOR, ARG_SPARSE(0), PG_GETARG_INT32(1)));
}

PG_FUNCTION_INFO_V1(standin_sparsevec_to_halfvec);
Datum
standin_sparsevec_to_halfvec(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(sparse_to_dense(K_HALFVEC, ARG_SPARSE(0), PG_GETARG_INT32(1)));
}

/* ---------- dense functions (vector and halfvec) ---------- */

static void
same_dims(Dense *a, Dense *b)
{
	if (a->dim != b->dim)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("different vector dimensions %d and %d", a->dim, b->dim)));
}

static double
dense_dot(Dense *a, Dense *b)
{
	double		s = 0;

	for (int i = 0; i < a->dim; i++)
		s += (double) a->x[i] * b->x[i];
	return s;
}

static double
dense_norm(Dense *a)
{
	return sqrt(dense_dot(a, a));
}

static double
dense_l2_squared(Dense *a, Dense *b)
{
	double		s = 0;

	for (int i = 0; i < a->dim; i++)
	{
		double		d = (double) a->x[i] - b->x[i];

		s += d * d;
	}
	return s;
}

PG_FUNCTION_INFO_V1(standin_dense_l2_distance);
Datum
standin_dense_l2_distance(PG_FUNCTION_ARGS)
{
	Dense	   *a = ARG_DENSE(0);
	Dense	   *b = ARG_DENSE(1);

	same_dims(a, b);
	PG_RETURN_FLOAT8(sqrt(dense_l2_squared(a, b)));
}

PG_FUNCTION_INFO_V1(standin_dense_l2_squared_distance);
Datum
standin_dense_l2_squared_distance(PG_FUNCTION_ARGS)
{
	Dense	   *a = ARG_DENSE(0);
	Dense	   *b = ARG_DENSE(1);

	same_dims(a, b);
	PG_RETURN_FLOAT8(dense_l2_squared(a, b));
}

PG_FUNCTION_INFO_V1(standin_dense_inner_product);
Datum
standin_dense_inner_product(PG_FUNCTION_ARGS)
{
	Dense	   *a = ARG_DENSE(0);
	Dense	   *b = ARG_DENSE(1);

	same_dims(a, b);
	PG_RETURN_FLOAT8(dense_dot(a, b));
}

PG_FUNCTION_INFO_V1(standin_dense_negative_inner_product);
Datum
standin_dense_negative_inner_product(PG_FUNCTION_ARGS)
{
	Dense	   *a = ARG_DENSE(0);
	Dense	   *b = ARG_DENSE(1);

	same_dims(a, b);
	PG_RETURN_FLOAT8(-dense_dot(a, b));
}

PG_FUNCTION_INFO_V1(standin_dense_cosine_distance);
Datum
standin_dense_cosine_distance(PG_FUNCTION_ARGS)
{
	Dense	   *a = ARG_DENSE(0);
	Dense	   *b = ARG_DENSE(1);
	double		sim;

	same_dims(a, b);
	sim = dense_dot(a, b) / sqrt(dense_dot(a, a) * dense_dot(b, b));
	if (isnan(sim))
		PG_RETURN_FLOAT8(sim);
	sim = Max(-1.0, Min(1.0, sim));
	PG_RETURN_FLOAT8(1.0 - sim);
}

PG_FUNCTION_INFO_V1(standin_dense_spherical_distance);
Datum
standin_dense_spherical_distance(PG_FUNCTION_ARGS)
{
	Dense	   *a = ARG_DENSE(0);
	Dense	   *b = ARG_DENSE(1);
	double		d;

	same_dims(a, b);
	d = Max(-1.0, Min(1.0, dense_dot(a, b)));
	PG_RETURN_FLOAT8(acos(d) / M_PI);
}

PG_FUNCTION_INFO_V1(standin_dense_l1_distance);
Datum
standin_dense_l1_distance(PG_FUNCTION_ARGS)
{
	Dense	   *a = ARG_DENSE(0);
	Dense	   *b = ARG_DENSE(1);
	double		s = 0;

	same_dims(a, b);
	for (int i = 0; i < a->dim; i++)
		s += fabs((double) a->x[i] - b->x[i]);
	PG_RETURN_FLOAT8(s);
}

PG_FUNCTION_INFO_V1(standin_dense_dims);
Datum
standin_dense_dims(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(ARG_DENSE(0)->dim);
}

PG_FUNCTION_INFO_V1(standin_dense_norm);
Datum
standin_dense_norm(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(dense_norm(ARG_DENSE(0)));
}

static Datum
dense_normalize(DenseKind kind, Dense *a)
{
	double		n = dense_norm(a);
	Dense	   *r = dense_new(a->dim);

	for (int i = 0; i < a->dim; i++)
		r->x[i] = n > 0 ? to_kind(kind, (float) (a->x[i] / n), NULL) : 0;
	PG_RETURN_POINTER(r);
}

PG_FUNCTION_INFO_V1(standin_vector_l2_normalize);
Datum
standin_vector_l2_normalize(PG_FUNCTION_ARGS)
{
	return dense_normalize(K_VECTOR, ARG_DENSE(0));
}

PG_FUNCTION_INFO_V1(standin_halfvec_l2_normalize);
Datum
standin_halfvec_l2_normalize(PG_FUNCTION_ARGS)
{
	return dense_normalize(K_HALFVEC, ARG_DENSE(0));
}

PG_FUNCTION_INFO_V1(standin_dense_binary_quantize);
Datum
standin_dense_binary_quantize(PG_FUNCTION_ARGS)
{
	Dense	   *a = ARG_DENSE(0);
	int			len = VARBITTOTALLEN(a->dim);
	VarBit	   *r = (VarBit *) palloc0(len);

	SET_VARSIZE(r, len);
	VARBITLEN(r) = a->dim;
	for (int i = 0; i < a->dim; i++)
		if (a->x[i] > 0)
			VARBITS(r)[i / 8] |= (bits8) (1 << (7 - (i % 8)));
	PG_RETURN_VARBIT_P(r);
}

PG_FUNCTION_INFO_V1(standin_dense_subvector);
Datum
standin_dense_subvector(PG_FUNCTION_ARGS)
{
	Dense	   *a = ARG_DENSE(0);
	int64		start = PG_GETARG_INT32(1);
	int64		count = PG_GETARG_INT32(2);
	int64		end = start + count;
	Dense	   *r;

	if (count < 1)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("%s must have at least 1 dimension", "vector")));
	start = Max(start, 1);
	end = Min(end, (int64) a->dim + 1);
	if (end <= start)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("%s must have at least 1 dimension", "vector")));
	r = dense_new((int) (end - start));
	memcpy(r->x, a->x + (start - 1), sizeof(float) * r->dim);
	PG_RETURN_POINTER(r);
}

static Datum
dense_arith(DenseKind kind, Dense *a, Dense *b, char op)
{
	Dense	   *r;

	same_dims(a, b);
	r = dense_new(a->dim);
	for (int i = 0; i < a->dim; i++)
	{
		float		v = op == '+' ? a->x[i] + b->x[i]
			: op == '-' ? a->x[i] - b->x[i]
			: a->x[i] * b->x[i];

		if (isinf(v))
			float_overflow_error();
		r->x[i] = to_kind(kind, v, NULL);
	}
	PG_RETURN_POINTER(r);
}

#define DENSE_ARITH(fname, kind, op) \
PG_FUNCTION_INFO_V1(fname); \
Datum fname(PG_FUNCTION_ARGS) \
{ \
	return dense_arith(kind, ARG_DENSE(0), ARG_DENSE(1), op); \
}

DENSE_ARITH(standin_vector_add, K_VECTOR, '+')
DENSE_ARITH(standin_vector_sub, K_VECTOR, '-')
DENSE_ARITH(standin_vector_mul, K_VECTOR, '*')
DENSE_ARITH(standin_halfvec_add, K_HALFVEC, '+')
DENSE_ARITH(standin_halfvec_sub, K_HALFVEC, '-')
DENSE_ARITH(standin_halfvec_mul, K_HALFVEC, '*')

PG_FUNCTION_INFO_V1(standin_dense_concat);
Datum
standin_dense_concat(PG_FUNCTION_ARGS)
{
	Dense	   *a = ARG_DENSE(0);
	Dense	   *b = ARG_DENSE(1);
	Dense	   *r;

	check_dim("vector", a->dim + b->dim, DENSE_MAX_DIM);
	r = dense_new(a->dim + b->dim);
	memcpy(r->x, a->x, sizeof(float) * a->dim);
	memcpy(r->x + a->dim, b->x, sizeof(float) * b->dim);
	PG_RETURN_POINTER(r);
}

/* btree order: element by element, then the shorter first */
static int
dense_cmp(Dense *a, Dense *b)
{
	int			n = Min(a->dim, b->dim);

	for (int i = 0; i < n; i++)
	{
		if (a->x[i] < b->x[i])
			return -1;
		if (a->x[i] > b->x[i])
			return 1;
	}
	return (a->dim > b->dim) - (a->dim < b->dim);
}

/*
 * Sparse order used by this stand-in: dimension, then the (index, value)
 * entries lexicographically.  NOT pgvector's order; only a total order.
 */
static int
sparse_cmp(Sparse *a, Sparse *b)
{
	float4	   *av = SPARSE_VALUES(a);
	float4	   *bv = SPARSE_VALUES(b);
	int			n = Min(a->nnz, b->nnz);

	if (a->dim != b->dim)
		return a->dim < b->dim ? -1 : 1;
	for (int i = 0; i < n; i++)
	{
		if (a->idx[i] != b->idx[i])
			return a->idx[i] < b->idx[i] ? -1 : 1;
		if (av[i] != bv[i])
			return av[i] < bv[i] ? -1 : 1;
	}
	return (a->nnz > b->nnz) - (a->nnz < b->nnz);
}

#define CMP_FUNCS(prefix, T, ARG, cmpfn) \
PG_FUNCTION_INFO_V1(prefix##_cmp); \
Datum prefix##_cmp(PG_FUNCTION_ARGS) { PG_RETURN_INT32(cmpfn(ARG(0), ARG(1))); } \
PG_FUNCTION_INFO_V1(prefix##_lt); \
Datum prefix##_lt(PG_FUNCTION_ARGS) { PG_RETURN_BOOL(cmpfn(ARG(0), ARG(1)) < 0); } \
PG_FUNCTION_INFO_V1(prefix##_le); \
Datum prefix##_le(PG_FUNCTION_ARGS) { PG_RETURN_BOOL(cmpfn(ARG(0), ARG(1)) <= 0); } \
PG_FUNCTION_INFO_V1(prefix##_eq); \
Datum prefix##_eq(PG_FUNCTION_ARGS) { PG_RETURN_BOOL(cmpfn(ARG(0), ARG(1)) == 0); } \
PG_FUNCTION_INFO_V1(prefix##_ne); \
Datum prefix##_ne(PG_FUNCTION_ARGS) { PG_RETURN_BOOL(cmpfn(ARG(0), ARG(1)) != 0); } \
PG_FUNCTION_INFO_V1(prefix##_ge); \
Datum prefix##_ge(PG_FUNCTION_ARGS) { PG_RETURN_BOOL(cmpfn(ARG(0), ARG(1)) >= 0); } \
PG_FUNCTION_INFO_V1(prefix##_gt); \
Datum prefix##_gt(PG_FUNCTION_ARGS) { PG_RETURN_BOOL(cmpfn(ARG(0), ARG(1)) > 0); }

CMP_FUNCS(standin_dense, Dense, ARG_DENSE, dense_cmp)
CMP_FUNCS(standin_sparse, Sparse, ARG_SPARSE, sparse_cmp)

/* ---------- aggregates: state is {count, sum_1, ..., sum_dim} ---------- */

static float8 *
state_values(ArrayType *a, int *n)
{
	if (ARR_NDIM(a) != 1 || ARR_DIMS(a)[0] < 1 || ARR_HASNULL(a) ||
		ARR_ELEMTYPE(a) != FLOAT8OID)
		elog(ERROR, "expected state array");
	*n = ARR_DIMS(a)[0];
	return (float8 *) ARR_DATA_PTR(a);
}

static ArrayType *
state_build(float8 *v, int n)
{
	Datum	   *d = palloc(sizeof(Datum) * n);

	for (int i = 0; i < n; i++)
		d[i] = Float8GetDatum(v[i]);
	return construct_array(d, n, FLOAT8OID, sizeof(float8), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE);
}

PG_FUNCTION_INFO_V1(standin_dense_accum);
Datum
standin_dense_accum(PG_FUNCTION_ARGS)
{
	int			n;
	float8	   *s = state_values(PG_GETARG_ARRAYTYPE_P(0), &n);
	Dense	   *v = ARG_DENSE(1);
	float8	   *r;

	if (n > 1 && n - 1 != v->dim)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("different vector dimensions %d and %d", n - 1, v->dim)));
	r = palloc0(sizeof(float8) * (v->dim + 1));
	r[0] = s[0] + 1;
	for (int i = 0; i < v->dim; i++)
		r[i + 1] = (n > 1 ? s[i + 1] : 0) + v->x[i];
	PG_RETURN_POINTER(state_build(r, v->dim + 1));
}

PG_FUNCTION_INFO_V1(standin_dense_combine);
Datum
standin_dense_combine(PG_FUNCTION_ARGS)
{
	int			n1;
	int			n2;
	float8	   *a = state_values(PG_GETARG_ARRAYTYPE_P(0), &n1);
	float8	   *b = state_values(PG_GETARG_ARRAYTYPE_P(1), &n2);
	float8	   *r;

	if (n1 == 1)
		PG_RETURN_POINTER(PG_GETARG_ARRAYTYPE_P(1));
	if (n2 == 1)
		PG_RETURN_POINTER(PG_GETARG_ARRAYTYPE_P(0));
	if (n1 != n2)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("different vector dimensions %d and %d", n1 - 1, n2 - 1)));
	r = palloc(sizeof(float8) * n1);
	for (int i = 0; i < n1; i++)
		r[i] = a[i] + b[i];
	PG_RETURN_POINTER(state_build(r, n1));
}

static Datum
dense_avg(DenseKind kind, ArrayType *state)
{
	int			n;
	float8	   *s = state_values(state, &n);
	Dense	   *r;

	r = dense_new(n - 1);
	for (int i = 1; i < n; i++)
		r->x[i - 1] = to_kind(kind, (float) (s[i] / s[0]), NULL);
	PG_RETURN_POINTER(r);
}

PG_FUNCTION_INFO_V1(standin_vector_avg);
Datum
standin_vector_avg(PG_FUNCTION_ARGS)
{
	int			n;
	float8	   *s = state_values(PG_GETARG_ARRAYTYPE_P(0), &n);

	if (s[0] == 0)
		PG_RETURN_NULL();
	return dense_avg(K_VECTOR, PG_GETARG_ARRAYTYPE_P(0));
}

PG_FUNCTION_INFO_V1(standin_halfvec_avg);
Datum
standin_halfvec_avg(PG_FUNCTION_ARGS)
{
	int			n;
	float8	   *s = state_values(PG_GETARG_ARRAYTYPE_P(0), &n);

	if (s[0] == 0)
		PG_RETURN_NULL();
	return dense_avg(K_HALFVEC, PG_GETARG_ARRAYTYPE_P(0));
}

/* ---------- sparse functions: DUMMY values ---------- */

/* l2/l1/cosine distances, inner products and norms of sparsevecs: always 0 */
PG_FUNCTION_INFO_V1(standin_dummy_float8);
Datum
standin_dummy_float8(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(0.0);
}

/* l2_normalize(sparsevec): returns its argument unchanged */
PG_FUNCTION_INFO_V1(standin_identity);
Datum
standin_identity(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATUM(PG_GETARG_DATUM(0));
}

/* ---------- bit distances ---------- */

static void
same_bit_lengths(VarBit *a, VarBit *b)
{
	if (VARBITLEN(a) != VARBITLEN(b))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("different bit lengths %u and %u", VARBITLEN(a), VARBITLEN(b))));
}

PG_FUNCTION_INFO_V1(standin_hamming_distance);
Datum
standin_hamming_distance(PG_FUNCTION_ARGS)
{
	VarBit	   *a = PG_GETARG_VARBIT_P(0);
	VarBit	   *b = PG_GETARG_VARBIT_P(1);
	uint64		d = 0;

	same_bit_lengths(a, b);
	for (int i = 0; i < VARBITBYTES(a); i++)
		d += pg_popcount32((uint32) (VARBITS(a)[i] ^ VARBITS(b)[i]));
	PG_RETURN_FLOAT8((double) d);
}

PG_FUNCTION_INFO_V1(standin_jaccard_distance);
Datum
standin_jaccard_distance(PG_FUNCTION_ARGS)
{
	VarBit	   *a = PG_GETARG_VARBIT_P(0);
	VarBit	   *b = PG_GETARG_VARBIT_P(1);
	uint64		both = 0;
	uint64		ca = 0;
	uint64		cb = 0;

	same_bit_lengths(a, b);
	for (int i = 0; i < VARBITBYTES(a); i++)
	{
		both += pg_popcount32((uint32) (VARBITS(a)[i] & VARBITS(b)[i]));
		ca += pg_popcount32((uint32) VARBITS(a)[i]);
		cb += pg_popcount32((uint32) VARBITS(b)[i]);
	}
	if (ca == 0 && cb == 0)
		PG_RETURN_FLOAT8(0.0);
	PG_RETURN_FLOAT8(1.0 - (double) both / (double) (ca + cb - both));
}

/* The opclasses' type-info support functions: never called here. */
PG_FUNCTION_INFO_V1(standin_support);
Datum
standin_support(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(NULL);
}

/* ---------- index access methods ivfflat and hnsw ---------- */

typedef struct IvfflatOptions
{
	int32		vl_len_;
	int			lists;
} IvfflatOptions;

typedef struct HnswOptions
{
	int32		vl_len_;
	int			m;
	int			efConstruction;
} HnswOptions;

static relopt_kind ivfflat_relopt_kind;
static relopt_kind hnsw_relopt_kind;

/* GUC variables, registered so SET/SHOW behave as with pgvector */
static int	ivfflat_probes;
static int	ivfflat_iterative_scan;
static int	ivfflat_max_probes;
static int	hnsw_ef_search;
static int	hnsw_iterative_scan;
static int	hnsw_max_scan_tuples;
static double hnsw_scan_mem_multiplier;

static const struct config_enum_entry ivfflat_iterative_scan_options[] = {
	{"off", 0, false},
	{"relaxed_order", 1, false},
	{NULL, 0, false}
};

static const struct config_enum_entry hnsw_iterative_scan_options[] = {
	{"off", 0, false},
	{"relaxed_order", 1, false},
	{"strict_order", 2, false},
	{NULL, 0, false}
};

void		_PG_init(void);

void
_PG_init(void)
{
	ivfflat_relopt_kind = add_reloption_kind();
	add_int_reloption(ivfflat_relopt_kind, "lists", "Number of inverted lists",
					  IVFFLAT_DEFAULT_LISTS, 1, IVFFLAT_MAX_LISTS, AccessExclusiveLock);
	hnsw_relopt_kind = add_reloption_kind();
	add_int_reloption(hnsw_relopt_kind, "m", "Max number of connections",
					  HNSW_DEFAULT_M, 2, 100, AccessExclusiveLock);
	add_int_reloption(hnsw_relopt_kind, "ef_construction",
					  "Size of the dynamic candidate list for construction",
					  HNSW_DEFAULT_EF_CONSTRUCTION, 4, 1000, AccessExclusiveLock);

	DefineCustomIntVariable("ivfflat.probes", "Sets the number of probes",
							"Valid range is 1..lists.", &ivfflat_probes,
							1, 1, IVFFLAT_MAX_LISTS, PGC_USERSET, GUC_EXPLAIN, NULL, NULL, NULL);
	DefineCustomEnumVariable("ivfflat.iterative_scan", "Sets the mode for iterative scans",
							 NULL, &ivfflat_iterative_scan, 0, ivfflat_iterative_scan_options,
							 PGC_USERSET, GUC_EXPLAIN, NULL, NULL, NULL);
	DefineCustomIntVariable("ivfflat.max_probes", "Sets the max number of probes for iterative scans",
							NULL, &ivfflat_max_probes,
							IVFFLAT_MAX_LISTS, 1, IVFFLAT_MAX_LISTS, PGC_USERSET, GUC_EXPLAIN, NULL, NULL, NULL);
	MarkGUCPrefixReserved("ivfflat");

	DefineCustomIntVariable("hnsw.ef_search", "Sets the size of the dynamic candidate list for search",
							"Valid range is 1..1000.", &hnsw_ef_search,
							40, 1, 1000, PGC_USERSET, GUC_EXPLAIN, NULL, NULL, NULL);
	DefineCustomEnumVariable("hnsw.iterative_scan", "Sets the mode for iterative scans",
							 NULL, &hnsw_iterative_scan, 0, hnsw_iterative_scan_options,
							 PGC_USERSET, GUC_EXPLAIN, NULL, NULL, NULL);
	DefineCustomIntVariable("hnsw.max_scan_tuples", "Sets the max number of tuples to visit for iterative scans",
							NULL, &hnsw_max_scan_tuples,
							20000, 1, INT_MAX, PGC_USERSET, GUC_EXPLAIN, NULL, NULL, NULL);
	DefineCustomRealVariable("hnsw.scan_mem_multiplier", "Sets the multiple of work_mem to use for iterative scans",
							 NULL, &hnsw_scan_mem_multiplier,
							 1, 1, 1000, PGC_USERSET, GUC_EXPLAIN, NULL, NULL, NULL);
	MarkGUCPrefixReserved("hnsw");
}

static bytea *
ivfflat_options(Datum reloptions, bool validate)
{
	static const relopt_parse_elt tab[] = {
		{"lists", RELOPT_TYPE_INT, offsetof(IvfflatOptions, lists)},
	};

	return (bytea *) build_reloptions(reloptions, validate, ivfflat_relopt_kind,
									  sizeof(IvfflatOptions), tab, lengthof(tab));
}

static bytea *
hnsw_options(Datum reloptions, bool validate)
{
	static const relopt_parse_elt tab[] = {
		{"m", RELOPT_TYPE_INT, offsetof(HnswOptions, m)},
		{"ef_construction", RELOPT_TYPE_INT, offsetof(HnswOptions, efConstruction)},
	};

	return (bytea *) build_reloptions(reloptions, validate, hnsw_relopt_kind,
									  sizeof(HnswOptions), tab, lengthof(tab));
}

/* How many dimensions an ivfflat or hnsw index accepts for its column type. */
static int
max_index_dims(Oid typid)
{
	HeapTuple	tup;
	int			max = INDEX_MAX_DIM;

	if (typid == BITOID)
		return INDEX_MAX_DIM * 32;
	tup = SearchSysCache1(TYPEOID, ObjectIdGetDatum(typid));
	if (HeapTupleIsValid(tup))
	{
		const char *name = NameStr(((Form_pg_type) GETSTRUCT(tup))->typname);

		if (strcmp(name, "halfvec") == 0)
			max = INDEX_MAX_DIM * 2;
		else if (strcmp(name, "sparsevec") == 0)
			max = SPARSE_MAX_DIM;
		ReleaseSysCache(tup);
	}
	return max;
}

/* pgvector's checks before any build, in its order */
static int
check_index_column(Relation index, const char *am)
{
	Form_pg_attribute att = TupleDescAttr(RelationGetDescr(index), 0);
	int			dims = att->atttypmod;
	int			max = max_index_dims(att->atttypid);

	if (att->atttypid == VARBITOID)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("type not supported for %s index", am)));
	if (dims < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("column does not have dimensions")));
	if (dims > max)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("column cannot have more than %d dimensions for %s index", max, am)));
	return dims;
}

static void
count_callback(Relation index, ItemPointer tid, Datum *values, bool *isnull,
			   bool tupleIsAlive, void *state)
{
	if (!isnull[0])
		(*(double *) state) += 1;
}

static IndexBuildResult *
scan_heap(Relation heap, Relation index, IndexInfo *indexInfo, double *indexed)
{
	IndexBuildResult *result = (IndexBuildResult *) palloc0(sizeof(IndexBuildResult));

	*indexed = 0;
	result->heap_tuples = table_index_build_scan(heap, index, indexInfo, true, true,
												 count_callback, indexed, NULL);
	result->index_tuples = 0;	/* nothing is stored */
	return result;
}

static IndexBuildResult *
ivfflat_build(Relation heap, Relation index, IndexInfo *indexInfo)
{
	IvfflatOptions *opts = (IvfflatOptions *) index->rd_options;
	int			lists = opts ? opts->lists : IVFFLAT_DEFAULT_LISTS;
	int			dims = check_index_column(index, "ivfflat");
	double		rows;
	IndexBuildResult *result;

	/* ip and cosine opclasses have a k-means norm function (support 4) */
	if (OidIsValid(index_getprocid(index, 1, 4)) && dims == 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("dimensions must be greater than one for this opclass")));
	result = scan_heap(heap, index, indexInfo, &rows);
	if (rows < lists)
		ereport(NOTICE,
				(errmsg("ivfflat index created with little data"),
				 errdetail("This will cause low recall."),
				 errhint("Drop the index until the table has more data.")));
	return result;
}

static IndexBuildResult *
hnsw_build(Relation heap, Relation index, IndexInfo *indexInfo)
{
	HnswOptions *opts = (HnswOptions *) index->rd_options;
	int			m = opts ? opts->m : HNSW_DEFAULT_M;
	int			ef = opts ? opts->efConstruction : HNSW_DEFAULT_EF_CONSTRUCTION;
	double		rows;

	(void) check_index_column(index, "hnsw");
	if (ef < 2 * m)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("ef_construction must be greater than or equal to 2 * m")));
	return scan_heap(heap, index, indexInfo, &rows);
}

static void
build_empty(Relation index)
{
	/* nothing is stored, so the init fork stays empty */
}

static bool
insert_nothing(Relation index, Datum *values, bool *isnull, ItemPointer heap_tid,
			   Relation heap, IndexUniqueCheck checkUnique, bool indexUnchanged,
			   IndexInfo *indexInfo)
{
	return false;
}

static IndexBulkDeleteResult *
bulk_delete(IndexVacuumInfo *info, IndexBulkDeleteResult *stats,
			IndexBulkDeleteCallback callback, void *callback_state)
{
	if (stats == NULL)
		stats = (IndexBulkDeleteResult *) palloc0(sizeof(IndexBulkDeleteResult));
	return stats;
}

static IndexBulkDeleteResult *
vacuum_cleanup(IndexVacuumInfo *info, IndexBulkDeleteResult *stats)
{
	return stats;
}

/* Never let the planner pick these indexes: their scans return nothing. */
static void
cost_infinite(struct PlannerInfo *root, struct IndexPath *path, double loop_count,
			  Cost *indexStartupCost, Cost *indexTotalCost,
			  Selectivity *indexSelectivity, double *indexCorrelation,
			  double *indexPages)
{
	*indexStartupCost = get_float8_infinity();
	*indexTotalCost = get_float8_infinity();
	*indexSelectivity = 0;
	*indexCorrelation = 0;
	*indexPages = 0;
}

static bool
validate_opclass(Oid opclassoid)
{
	return true;
}

static IndexScanDesc
begin_scan(Relation index, int nkeys, int norderbys)
{
	return RelationGetIndexScan(index, nkeys, norderbys);
}

static void
rescan(IndexScanDesc scan, ScanKey keys, int nkeys, ScanKey orderbys, int norderbys)
{
}

static bool
get_tuple(IndexScanDesc scan, ScanDirection dir)
{
	return false;
}

static void
end_scan(IndexScanDesc scan)
{
}

static IndexAmRoutine *
routine(uint16 amsupport)
{
	IndexAmRoutine *r = makeNode(IndexAmRoutine);

	r->amstrategies = 0;
	r->amsupport = amsupport;
	r->amoptsprocnum = 0;
	r->amcanorder = false;
	r->amcanorderbyop = true;
	r->amcanbackward = false;
	r->amcanunique = false;
	r->amcanmulticol = false;
	r->amoptionalkey = true;
	r->amsearcharray = false;
	r->amsearchnulls = false;
	r->amstorage = false;
	r->amclusterable = false;
	r->ampredlocks = false;
	r->amcanparallel = false;
	r->amcaninclude = false;
	r->amusemaintenanceworkmem = false;
	r->amparallelvacuumoptions = VACUUM_OPTION_PARALLEL_BULKDEL;
	r->amkeytype = InvalidOid;

	r->ambuildempty = build_empty;
	r->aminsert = insert_nothing;
	r->ambulkdelete = bulk_delete;
	r->amvacuumcleanup = vacuum_cleanup;
	r->amcanreturn = NULL;
	r->amcostestimate = cost_infinite;
	r->amproperty = NULL;
	r->ambuildphasename = NULL;
	r->amvalidate = validate_opclass;
	r->amadjustmembers = NULL;
	r->ambeginscan = begin_scan;
	r->amrescan = rescan;
	r->amgettuple = get_tuple;
	r->amgetbitmap = NULL;
	r->amendscan = end_scan;
	r->ammarkpos = NULL;
	r->amrestrpos = NULL;
	r->amestimateparallelscan = NULL;
	r->aminitparallelscan = NULL;
	r->amparallelrescan = NULL;
	return r;
}

PG_FUNCTION_INFO_V1(standin_ivfflat_handler);
Datum
standin_ivfflat_handler(PG_FUNCTION_ARGS)
{
	IndexAmRoutine *r = routine(5);

	r->ambuild = ivfflat_build;
	r->amoptions = ivfflat_options;
	PG_RETURN_POINTER(r);
}

PG_FUNCTION_INFO_V1(standin_hnsw_handler);
Datum
standin_hnsw_handler(PG_FUNCTION_ARGS)
{
	IndexAmRoutine *r = routine(3);

	r->ambuild = hnsw_build;
	r->amoptions = hnsw_options;
	PG_RETURN_POINTER(r);
}
