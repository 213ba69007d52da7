//! The `smarketing` binary: parse arguments, run a command, print diagnostics, exit.

use clap::Parser;
use smarketing::cli::{Cli, Command, Format};
use smarketing::{content, diagnostics};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match cli.command {
        Command::Check {
            root,
            format,
            strict,
        } => {
            let loaded = content::load(&root);
            let (errors, warnings) = diagnostics::counts(&loaded.diags);
            match format {
                Format::Json => println!("{}", diagnostics::to_json(&loaded.diags)),
                Format::Human => {
                    diagnostics::print_human(&loaded.diags);
                    if !cli.quiet || errors > 0 {
                        eprintln!(
                            "check: {} in {} content files",
                            diagnostics::summary(&loaded.diags),
                            loaded.files
                        );
                    }
                }
            }
            if errors > 0 || (strict && warnings > 0) {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        Command::Build {
            root,
            output,
            base_url,
        } => build(&root, output, base_url.as_deref(), cli.quiet),
    }
}

fn build(
    root: &std::path::Path,
    output: Option<std::path::PathBuf>,
    base_url: Option<&str>,
    quiet: bool,
) -> ExitCode {
    let started = std::time::Instant::now();
    let out_path = output.unwrap_or_else(|| root.join("public"));
    let out = match smarketing::output::check_target(root, &out_path) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("error: {}", e.message);
            if !e.hint.is_empty() {
                eprintln!("  = help: {}", e.hint);
            }
            return ExitCode::from(1);
        }
    };
    if let Some(b) = base_url {
        if !(b.starts_with("http://") || b.starts_with("https://")) {
            eprintln!("error: --base-url must be an absolute http(s) address, found `{b}`");
            return ExitCode::from(2);
        }
    }
    let loaded = content::load(root);
    diagnostics::print_human(&loaded.diags);
    if loaded.has_errors() {
        eprintln!(
            "build: {}; nothing was written",
            diagnostics::summary(&loaded.diags)
        );
        return ExitCode::from(1);
    }
    let files = match smarketing::site::render(root, &loaded, base_url) {
        Ok(f) => f,
        Err(diags) => {
            diagnostics::print_human(&diags);
            eprintln!(
                "build: {}; nothing was written",
                diagnostics::summary(&diags)
            );
            return ExitCode::from(1);
        }
    };
    if let Err(e) = smarketing::output::write_site(&out, &files) {
        eprintln!("error: {}\n  = help: {}", e.message, e.hint);
        return ExitCode::from(1);
    }
    if !quiet {
        if base_url.is_none() && loaded.project.site.base_url.is_none() {
            eprintln!("note: no base_url set, so feed.xml and sitemap.xml were not written (set `base_url` in content/site.yaml or pass --base-url)");
        }
        let pages = files.keys().filter(|k| k.ends_with(".html")).count();
        eprintln!(
            "build: wrote {} pages ({} files) to {} in {} ms",
            pages,
            files.len(),
            out.display(),
            started.elapsed().as_millis()
        );
    }
    ExitCode::SUCCESS
}
