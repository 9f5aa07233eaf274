fn main() {
    std::process::exit(playbook::main());
}
