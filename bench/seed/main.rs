//! Seeds a database for the benchmark and writes the request paths the load generator uses:
//! `get.os2pm`, `get.baseline`, `list.os2pm`, `list.baseline` in `--out`.

use std::path::{Path, PathBuf};

use clap::Parser;
use os2pm_bench::{Plan, page_paths, seed, single_paths};
use os2pm_persistence::DatabaseUrl;
use rand::SeedableRng;
use rand::rngs::StdRng;

#[derive(Debug, Parser)]
struct Args {
    #[arg(long, env = "DATABASE_URL")]
    database_url: String,
    #[arg(long, default_value_t = 10_000)]
    projects: usize,
    /// Audit entries per project.
    #[arg(long, default_value_t = 10)]
    history: usize,
    /// Where the path files go.
    #[arg(long)]
    out: PathBuf,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let url = DatabaseUrl::parse(&args.database_url)?;
    let took = seed(
        &url,
        Plan {
            projects: args.projects,
            history_per_project: args.history,
            random_seed: 2026,
        },
    )?;
    println!(
        "seeded {} projects with {} history rows in {:.1} s",
        args.projects,
        args.projects * args.history,
        took.as_secs_f64()
    );
    let mut conn = url.connect(false)?;
    let mut rng = StdRng::seed_from_u64(7);
    // Every project, in random order: a run's gets are spread over all of them, so the view
    // cache (16 MB) holds only part of what is asked for, as in real use.
    let singles = single_paths(&mut conn, usize::MAX, &mut rng)?;
    let pages = page_paths(&mut conn, 2000, &mut rng)?;
    write(&args.out, "get.os2pm", &singles.os2pm)?;
    write(&args.out, "get.baseline", &singles.baseline)?;
    write(&args.out, "list.os2pm", &pages.os2pm)?;
    write(&args.out, "list.baseline", &pages.baseline)?;
    Ok(())
}

fn write(dir: &Path, name: &str, lines: &[String]) -> std::io::Result<()> {
    std::fs::write(dir.join(name), lines.join("\n") + "\n")
}
