// `youjun balance`: implemented on the roster-csv branch.
pub fn run(_args: &[String]) -> Result<(), String> {
    Err("balance: not yet available".into())
}
