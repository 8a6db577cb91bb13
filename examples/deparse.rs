fn main() {
    let sql = std::env::args().nth(1).unwrap();
    let r = pg_query::parse(&sql, 0).unwrap();
    println!("{}", r.deparse().unwrap());
}
