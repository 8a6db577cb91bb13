//! Randomly shaped revision graphs (fixed seeds, so failures reproduce)
//! held to real Alembic: several bases, branches off any revision, merges of
//! two or three heads, `depends_on` by id and by branch label, branch
//! labels, and file names that do not follow the graph order. Every graph
//! gets the same comparisons as the hand-written fixtures.

mod graph_common;

use graph_common::{Fixture, FixtureRev, compare_project, extra_commands, write_project};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn percent(&mut self, p: usize) -> bool {
        self.below(100) < p
    }
}

fn generate(seed: u64, n: usize) -> Fixture {
    let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let mut revs: Vec<FixtureRev> = Vec::new();
    let mut heads: Vec<usize> = Vec::new();
    let mut labels: Vec<(String, usize)> = Vec::new();
    for i in 0..n {
        let id = format!("{:012x}", rng.next() & 0xffff_ffff_ffff);
        let mut rev = FixtureRev {
            id: id.clone(),
            doc: format!("step {i}"),
            filename: Some(format!("{:08x}_{id}.py", rng.next() & 0xffff_ffff)),
            ..Default::default()
        };
        let roll = rng.below(100);
        let parents: Vec<usize> = if i == 0 || roll < 6 {
            Vec::new()
        } else if roll < 22 && heads.len() >= 2 {
            let k = if heads.len() >= 3 && rng.percent(25) {
                3
            } else {
                2
            };
            let mut chosen = Vec::new();
            while chosen.len() < k {
                let h = heads[rng.below(heads.len())];
                if !chosen.contains(&h) {
                    chosen.push(h);
                }
            }
            chosen
        } else if roll < 38 {
            vec![rng.below(i)]
        } else {
            vec![heads[rng.below(heads.len())]]
        };
        rev.down = parents.iter().map(|&p| revs[p].id.clone()).collect();
        heads.retain(|h| !parents.contains(h));
        heads.push(i);
        if i > 1 && rng.percent(14) {
            let j = rng.below(i);
            if !parents.contains(&j) {
                rev.deps.push(revs[j].id.clone());
            }
        }
        if !labels.is_empty() && rng.percent(5) {
            let (l, _) = &labels[rng.below(labels.len())];
            if !rev.deps.contains(l) {
                rev.deps.push(l.clone());
            }
        }
        if rng.percent(8) {
            let l = format!("lbl{}", labels.len());
            rev.labels.push(l.clone());
            labels.push((l, i));
        }
        revs.push(rev);
    }
    let pick = |rng: &mut Rng| revs[rng.below(revs.len())].id.clone();
    let mut fx = Fixture {
        name: format!("random-{seed}"),
        targets: vec!["heads".into()],
        ..Default::default()
    };
    fx.ranges.push((pick(&mut rng), "heads".into()));
    fx.ranges.push((pick(&mut rng), "+1".into()));
    fx.downgrades.push((pick(&mut rng), "base".into()));
    let (a, b) = (pick(&mut rng), pick(&mut rng));
    fx.downgrades.push((a, b));
    for (l, _) in labels.iter().take(2) {
        fx.targets.push(format!("{l}@head"));
    }
    fx.revs = revs;
    fx
}

#[test]
fn random_graphs_match_real_alembic() {
    let mut failures = Vec::new();
    let mut compared = 0;
    // MIGSIM_GRAPH_SEEDS=3,17 re-runs chosen graphs only.
    let seeds: Vec<u64> = match std::env::var("MIGSIM_GRAPH_SEEDS") {
        Ok(v) => v.split(',').filter_map(|s| s.trim().parse().ok()).collect(),
        Err(_) => (1..=30).collect(),
    };
    let graphs = seeds.len();
    // Two workers: most of the time is Alembic's interpreter start-up.
    let results: Vec<(usize, Vec<String>, Vec<String>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = seeds
            .chunks(seeds.len().div_ceil(2).max(1))
            .map(|chunk| {
                scope.spawn(move || {
                    chunk
                        .iter()
                        .map(|&seed| {
                            let n = 8 + (seed as usize * 7) % 33;
                            let fx = generate(seed, n);
                            let dir = tempfile::tempdir().unwrap();
                            let cfg = write_project(&fx, dir.path());
                            let report = compare_project(&cfg, &extra_commands(&fx));
                            let failures = report
                                .failures()
                                .iter()
                                .map(|c| {
                                    format!(
                                        "[seed {seed}, {n} revisions] {}\n{}",
                                        c.command, c.detail
                                    )
                                })
                                .collect();
                            let notes = report
                                .checks
                                .iter()
                                .filter(|c| c.ok && !c.detail.is_empty())
                                .map(|c| format!("seed {seed}: {}: {}", c.command, c.detail))
                                .collect();
                            (report.checks.len(), failures, notes)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    for (checks, f, notes) in results {
        compared += checks;
        failures.extend(f);
        for n in notes {
            eprintln!("{n}");
        }
    }
    eprintln!("{graphs} random graphs, {compared} comparisons with real Alembic");
    assert!(
        failures.is_empty(),
        "{} mismatches:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
