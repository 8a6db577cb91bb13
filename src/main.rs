fn main() -> std::process::ExitCode {
    migsim::cli::main()
}
