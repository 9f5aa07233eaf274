fn main() {
    std::process::exit(playbook::cli::main());
}
