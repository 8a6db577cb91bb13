fn main() {
    let sql = std::env::args().nth(1).unwrap();
    match pg_query::parse_plpgsql(&sql) {
        Ok(v) => println!("{}", serde_json::to_string_pretty(&v).unwrap()),
        Err(e) => println!("ERR {e}"),
    }
}
