-- case: partition by range with partitions
CREATE TABLE measurement (city_id int NOT NULL, logdate date NOT NULL, peaktemp int) PARTITION BY RANGE (logdate);
CREATE TABLE measurement_y2023 PARTITION OF measurement FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
CREATE TABLE measurement_y2024 PARTITION OF measurement FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE measurement_default PARTITION OF measurement DEFAULT;

-- case: partition by list
CREATE TABLE orders (id bigint, region text) PARTITION BY LIST (region);
CREATE TABLE orders_eu PARTITION OF orders FOR VALUES IN ('de', 'fr');
CREATE TABLE orders_us PARTITION OF orders FOR VALUES IN ('us');

-- case: partition by hash
CREATE TABLE events (id bigint, payload jsonb) PARTITION BY HASH (id);
CREATE TABLE events_0 PARTITION OF events FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE events_1 PARTITION OF events FOR VALUES WITH (MODULUS 2, REMAINDER 1);

-- case: partition overlapping range
CREATE TABLE m (d date) PARTITION BY RANGE (d);
CREATE TABLE m1 PARTITION OF m FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
CREATE TABLE m2 PARTITION OF m FOR VALUES FROM ('2023-06-01') TO ('2024-06-01');

-- case: partition list value in two partitions
CREATE TABLE o (r text) PARTITION BY LIST (r);
CREATE TABLE o1 PARTITION OF o FOR VALUES IN ('a', 'b');
CREATE TABLE o2 PARTITION OF o FOR VALUES IN ('b');

-- case: partition two defaults
CREATE TABLE o (r text) PARTITION BY LIST (r);
CREATE TABLE o1 PARTITION OF o DEFAULT;
CREATE TABLE o2 PARTITION OF o DEFAULT;

-- case: partition wrong bound kind
CREATE TABLE o (r text) PARTITION BY LIST (r);
CREATE TABLE o1 PARTITION OF o FOR VALUES FROM ('a') TO ('b');

-- case: partition of non partitioned table
CREATE TABLE o (r text);
CREATE TABLE o1 PARTITION OF o FOR VALUES IN ('a');

-- case: partition primary key must include partition key
CREATE TABLE m (id int, d date, PRIMARY KEY (id)) PARTITION BY RANGE (d);

-- case: partition primary key including partition key
CREATE TABLE m (id int, d date, PRIMARY KEY (id, d)) PARTITION BY RANGE (d);
CREATE TABLE m1 PARTITION OF m FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');

-- case: partition index on partitioned table cascades to partitions
CREATE TABLE m (id int, d date) PARTITION BY RANGE (d);
CREATE TABLE m1 PARTITION OF m FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
CREATE INDEX m_id_idx ON m (id);
CREATE TABLE m2 PARTITION OF m FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');

-- case: partition index on only parent
CREATE TABLE m (id int, d date) PARTITION BY RANGE (d);
CREATE TABLE m1 PARTITION OF m FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
CREATE INDEX m_id_idx ON ONLY m (id);
CREATE INDEX m1_id_idx ON m1 (id);
ALTER INDEX m_id_idx ATTACH PARTITION m1_id_idx;

-- case: partition concurrently index on partitioned table is refused
CREATE TABLE m (id int, d date) PARTITION BY RANGE (d);
CREATE INDEX CONCURRENTLY m_id_idx ON m (id);

-- case: partition attach and detach
CREATE TABLE m (id int, d date) PARTITION BY RANGE (d);
CREATE TABLE m2023 (id int, d date);
ALTER TABLE m ATTACH PARTITION m2023 FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
CREATE TABLE m2024 PARTITION OF m FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
ALTER TABLE m DETACH PARTITION m2024;

-- case: partition attach table with different columns
CREATE TABLE m (id int, d date) PARTITION BY RANGE (d);
CREATE TABLE m2023 (id int, d date, extra text);
ALTER TABLE m ATTACH PARTITION m2023 FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');

-- case: partition attach table with column of other type
CREATE TABLE m (id int, d date) PARTITION BY RANGE (d);
CREATE TABLE m2023 (id bigint, d date);
ALTER TABLE m ATTACH PARTITION m2023 FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');

-- case: partition attach with indexes creates matching index
CREATE TABLE m (id int, d date, PRIMARY KEY (id, d)) PARTITION BY RANGE (d);
CREATE INDEX m_d ON m (d);
CREATE TABLE m2023 (id int NOT NULL, d date NOT NULL);
ALTER TABLE m ATTACH PARTITION m2023 FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');

-- case: partition detach missing partition
CREATE TABLE m (id int, d date) PARTITION BY RANGE (d);
CREATE TABLE other (id int, d date);
ALTER TABLE m DETACH PARTITION other;

-- case: partition add column to parent propagates
CREATE TABLE m (id int, d date) PARTITION BY RANGE (d);
CREATE TABLE m1 PARTITION OF m FOR VALUES FROM (MINVALUE) TO ('2024-01-01');
ALTER TABLE m ADD COLUMN note text DEFAULT 'x';

-- case: partition drop column on partition is refused
CREATE TABLE m (id int, d date, note text) PARTITION BY RANGE (d);
CREATE TABLE m1 PARTITION OF m FOR VALUES FROM (MINVALUE) TO (MAXVALUE);
ALTER TABLE m1 DROP COLUMN note;

-- case: partition drop parent drops partitions
CREATE TABLE m (id int, d date) PARTITION BY RANGE (d);
CREATE TABLE m1 PARTITION OF m FOR VALUES FROM (MINVALUE) TO (MAXVALUE);
DROP TABLE m;
CREATE TABLE m1 (a int);

-- case: partition sub partitioning
CREATE TABLE m (id int, d date, region text) PARTITION BY RANGE (d);
CREATE TABLE m2023 PARTITION OF m FOR VALUES FROM ('2023-01-01') TO ('2024-01-01') PARTITION BY LIST (region);
CREATE TABLE m2023_eu PARTITION OF m2023 FOR VALUES IN ('eu');

-- case: partition by expression key
CREATE TABLE logs (id bigint, created_at timestamp) PARTITION BY RANGE ((created_at::date));
CREATE TABLE logs_2024 PARTITION OF logs FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');

-- case: partition with own constraints and defaults
CREATE TABLE m (id int, d date, status text DEFAULT 'new') PARTITION BY RANGE (d);
CREATE TABLE m1 PARTITION OF m (status DEFAULT 'old', CONSTRAINT m1_id_pos CHECK (id > 0)) FOR VALUES FROM (MINVALUE) TO ('2020-01-01');

-- case: partition unique constraint with fk referencing partitioned table
CREATE TABLE m (id int, d date, PRIMARY KEY (id, d)) PARTITION BY RANGE (d);
CREATE TABLE m1 PARTITION OF m FOR VALUES FROM (MINVALUE) TO (MAXVALUE);
CREATE TABLE ref (m_id int, m_d date, FOREIGN KEY (m_id, m_d) REFERENCES m);

-- case: inheritance basic
CREATE TABLE parent (id int, name text);
CREATE TABLE child (extra int) INHERITS (parent);
ALTER TABLE parent ADD COLUMN created_at timestamptz;

-- case: inheritance merged column
CREATE TABLE parent (id int, name text);
CREATE TABLE child (name text NOT NULL, extra int) INHERITS (parent);

-- case: inheritance merged column type conflict
CREATE TABLE parent (id int, name text);
CREATE TABLE child (name int) INHERITS (parent);

-- case: inheritance check constraints inherited
CREATE TABLE parent (id int CHECK (id > 0));
CREATE TABLE child () INHERITS (parent);
ALTER TABLE parent ADD CONSTRAINT parent_id_small CHECK (id < 1000);

-- case: inheritance no inherit and inherit later
CREATE TABLE parent (id int);
CREATE TABLE child (id int, b int);
ALTER TABLE child INHERIT parent;
ALTER TABLE child NO INHERIT parent;

-- case: inheritance drop column inherited from child refused
CREATE TABLE parent (id int);
CREATE TABLE child () INHERITS (parent);
ALTER TABLE child DROP COLUMN id;

-- case: inheritance multiple parents
CREATE TABLE a (x int);
CREATE TABLE b (y int, x int);
CREATE TABLE c (z int) INHERITS (a, b);

-- case: inheritance rename parent column renames child
CREATE TABLE parent (id int);
CREATE TABLE child () INHERITS (parent);
ALTER TABLE parent RENAME COLUMN id TO pid;

-- case: inheritance rename column of child directly is refused
CREATE TABLE parent (id int);
CREATE TABLE child (extra int) INHERITS (parent);
ALTER TABLE child RENAME COLUMN id TO pid;

-- case: partition rename column of partition directly is refused
CREATE TABLE m (id int, k int) PARTITION BY LIST (k);
CREATE TABLE m1 PARTITION OF m FOR VALUES IN (1);
ALTER TABLE m1 RENAME COLUMN id TO pid;

-- case: inheritance rename own column of child is fine
CREATE TABLE parent (id int);
CREATE TABLE child (extra int) INHERITS (parent);
ALTER TABLE child RENAME COLUMN extra TO more;

-- case: partition empty range is refused
CREATE TABLE m (id int) PARTITION BY RANGE (id);
CREATE TABLE m1 PARTITION OF m FOR VALUES FROM (10) TO (10);

-- case: partition adjacent ranges do not overlap
CREATE TABLE m (id int) PARTITION BY RANGE (id);
CREATE TABLE m1 PARTITION OF m FOR VALUES FROM (MINVALUE) TO (10);
CREATE TABLE m2 PARTITION OF m FOR VALUES FROM (10) TO (20);
CREATE TABLE m3 PARTITION OF m FOR VALUES FROM (20) TO (MAXVALUE);
CREATE TABLE m4 PARTITION OF m DEFAULT;

-- case: partition attach overlapping range is refused
CREATE TABLE m (d timestamp) PARTITION BY RANGE (d);
CREATE TABLE m1 PARTITION OF m FOR VALUES FROM ('2024-01-01') TO ('2024-02-01');
CREATE TABLE m2 (d timestamp);
ALTER TABLE m ATTACH PARTITION m2 FOR VALUES FROM ('2024-01-31 12:00:00') TO ('2024-03-01');

-- case: partition hash default is refused
CREATE TABLE h (id int) PARTITION BY HASH (id);
CREATE TABLE h0 PARTITION OF h DEFAULT;

-- case: partition two column range overlap
CREATE TABLE m (a int, b int) PARTITION BY RANGE (a, b);
CREATE TABLE m1 PARTITION OF m FOR VALUES FROM (1, 1) TO (1, 10);
CREATE TABLE m2 PARTITION OF m FOR VALUES FROM (1, 10) TO (2, 0);
CREATE TABLE m3 PARTITION OF m FOR VALUES FROM (1, 5) TO (1, 20);

-- case: partition unique index must include partition key
CREATE TABLE m (id int, d date) PARTITION BY RANGE (d);
CREATE UNIQUE INDEX m_id ON m (id);

-- case: partition unique constraint added later must include partition key
CREATE TABLE m (id int, d date) PARTITION BY RANGE (d);
ALTER TABLE m ADD CONSTRAINT m_id_key UNIQUE (id);

-- case: partition unique with expression key is refused
CREATE TABLE m (id int, d date) PARTITION BY RANGE ((d + 1));
ALTER TABLE m ADD PRIMARY KEY (id, d);

-- case: partition unique including the key is fine
CREATE TABLE m (id int, d date) PARTITION BY RANGE (d);
CREATE UNIQUE INDEX m_id_d ON m (id, d);

-- case: inheritance merged column keeps parent position and local default
CREATE TABLE parent (id int, name text DEFAULT 'p', flag bool);
CREATE TABLE child (extra int, name text DEFAULT 'c' CHECK (name <> '')) INHERITS (parent);

-- case: inheritance merged column from two parents
CREATE TABLE p1 (id int NOT NULL, a text);
CREATE TABLE p2 (id int, b text);
CREATE TABLE child (c int) INHERITS (p1, p2);

-- case: inheritance local check merges with the inherited one
CREATE TABLE parent (id int CONSTRAINT pos CHECK (id > 0));
CREATE TABLE child (CONSTRAINT pos CHECK (id > 0)) INHERITS (parent);

-- case: partition inherits check constraints
CREATE TABLE m (id int CHECK (id > 0), d date) PARTITION BY RANGE (d);
CREATE TABLE m1 PARTITION OF m FOR VALUES FROM ('2020-01-01') TO ('2021-01-01');
