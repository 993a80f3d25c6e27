//! `comptrace serve`: the real binary on a free port, spoken to over plain HTTP/1.1 (a few lines
//! of std, so the tests need no HTTP client crate): status codes, security headers, escaping
//! of hostile catalogue text, data twins equal to the commands' output, evidence content types.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};

use crate::util::Env;

/// A `comptrace serve` started for one test, stopped when dropped.
pub struct Server {
    child: Child,
    /// `127.0.0.1:PORT`
    pub addr: String,
}

impl Server {
    pub fn start(env: &Env, extra: &[&str]) -> Server {
        Server::start_with(env, extra, &[("COMPTRACE_INVESTIGATOR", "web tester")])
    }

    pub fn start_with(env: &Env, extra: &[&str], vars: &[(&str, &str)]) -> Server {
        let mut args = vec!["serve", "--port", "0"];
        args.extend_from_slice(extra);
        let mut cmd = env.spawnable(&args);
        for (k, v) in vars {
            cmd.env(k, v);
        }
        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("serve starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("serve prints its URL");
        let addr = line
            .trim()
            .strip_prefix("http://")
            .and_then(|s| s.strip_suffix('/'))
            .unwrap_or_else(|| panic!("a URL on stdout, got {line:?}"))
            .to_string();
        assert!(addr.starts_with("127.0.0.1:"), "{addr}");
        Server { child, addr }
    }

    pub fn get(&self, path: &str, cookie: Option<&str>) -> Reply {
        self.request("GET", path, cookie, None)
    }

    /// A POST of an urlencoded form.
    pub fn post_form(&self, path: &str, cookie: Option<&str>, fields: &[(&str, &str)]) -> Reply {
        let body: Vec<String> = fields
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect();
        self.request(
            "POST",
            path,
            cookie,
            Some((
                "application/x-www-form-urlencoded",
                body.join("&").into_bytes(),
            )),
        )
    }

    /// A POST of a multipart form: text fields, then files as (field, file name, bytes).
    pub fn post_multipart(
        &self,
        path: &str,
        cookie: Option<&str>,
        fields: &[(&str, &str)],
        files: &[(&str, &str, &[u8])],
    ) -> Reply {
        let boundary = "----comptrace-test-boundary-7f3a";
        let mut body = Vec::new();
        for (k, v) in fields {
            write!(
                body,
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
            )
            .unwrap();
        }
        for (field, name, bytes) in files {
            write!(body, "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").unwrap();
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        write!(body, "--{boundary}--\r\n").unwrap();
        self.request(
            "POST",
            path,
            cookie,
            Some((&format!("multipart/form-data; boundary={boundary}"), body)),
        )
    }

    pub fn request(
        &self,
        method: &str,
        path: &str,
        cookie: Option<&str>,
        body: Option<(&str, Vec<u8>)>,
    ) -> Reply {
        let mut headers = Vec::new();
        if let Some(c) = cookie {
            headers.push(format!("Cookie: {c}"));
        }
        http(&self.addr, method, path, &headers, body)
    }
}

/// One HTTP/1.1 request on its own connection (`Connection: close`), read to the end.
pub fn http(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[String],
    body: Option<(&str, Vec<u8>)>,
) -> Reply {
    let mut stream = TcpStream::connect(addr).expect("connects");
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(120)))
        .unwrap();
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for h in headers {
        head.push_str(h);
        head.push_str("\r\n");
    }
    let payload = match body {
        Some((content_type, bytes)) => {
            head.push_str(&format!(
                "Content-Type: {content_type}\r\nContent-Length: {}\r\n",
                bytes.len()
            ));
            bytes
        }
        None => Vec::new(),
    };
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    // the server may answer (413) before reading a large body, and close
    let _ = stream.write_all(&payload);
    Reply::parse(&read_answer(&mut stream))
}

/// Reads an answer: its head, then as many bytes as Content-Length says (a server may keep
/// the connection open despite `Connection: close`), else to the end.
fn read_answer(stream: &mut TcpStream) -> Vec<u8> {
    let mut raw = Vec::new();
    let mut buf = [0u8; 64 * 1024];
    loop {
        if let Some(end) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&raw[..end]).to_lowercase();
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok());
            if let Some(length) = length {
                while raw.len() < end + 4 + length {
                    match stream.read(&mut buf) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => raw.extend_from_slice(&buf[..n]),
                    }
                }
                return raw;
            }
            let _ = stream.read_to_end(&mut raw);
            return raw;
        }
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return raw,
            Ok(n) => raw.extend_from_slice(&buf[..n]),
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    fn parse(raw: &[u8]) -> Reply {
        let split = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .unwrap_or_else(|| panic!("an HTTP answer: {:?}", String::from_utf8_lossy(raw)));
        let head = String::from_utf8_lossy(&raw[..split]).into_owned();
        let mut lines = head.split("\r\n");
        let status = lines
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .and_then(|s| s.parse().ok())
            .expect("a status line");
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_lowercase(), v.trim().to_string()))
            .collect();
        let mut body = raw[split + 4..].to_vec();
        if headers
            .iter()
            .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"))
        {
            body = dechunk(&body);
        }
        Reply {
            status,
            headers,
            body,
        }
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The session cookie the server set (`name=value`), if it set one.
    pub fn cookie(&self) -> Option<String> {
        self.headers
            .iter()
            .filter(|(k, _)| k == "set-cookie")
            .filter_map(|(_, v)| v.split(';').next())
            .map(str::to_string)
            .next_back()
    }

    /// The value of the first form field `name` on the page (the CSRF token, for one).
    pub fn field(&self, name: &str) -> Option<String> {
        let text = self.text();
        let at = text.find(&format!("name=\"{name}\" value=\""))?;
        let rest = &text[at + name.len() + 15..];
        rest.split('"').next().map(str::to_string)
    }
}

fn dechunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(end) = body.windows(2).position(|w| w == b"\r\n") else {
            return out;
        };
        let size = usize::from_str_radix(
            String::from_utf8_lossy(&body[..end])
                .split(';')
                .next()
                .unwrap()
                .trim(),
            16,
        )
        .unwrap_or(0);
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&body[end + 2..end + 2 + size]);
        body = &body[end + 2 + size + 2..];
    }
}

/// A finding logged from the command line, with extra flags.
fn log(env: &Env, fields: &[(&str, &str)], extra: &[&str]) -> String {
    let mut args: Vec<String> = vec!["log".into()];
    for (k, v) in fields {
        args.push(format!("--{k}"));
        args.push(v.to_string());
    }
    args.extend(extra.iter().map(|s| s.to_string()));
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    env.ok(&refs).trim().to_string()
}

const GERBERA: &[(&str, &str)] = &[
    ("weapon", "Gerbera"),
    ("component", "Viewpro A40 Pro camera"),
    ("part-number", "A40 Pro"),
    ("category", "camera"),
    ("manufacturer", "Viewpro"),
    ("manufacturer-country", "CN"),
    ("found-on", "2024-09-01"),
    ("evidence-url", "https://example.org/report"),
    ("investigator", "cli tester"),
];

#[test]
fn listen_beyond_loopback_needs_auth() {
    let env = Env::with_catalogue();
    let err = env.fails(&["serve", "--listen", "0.0.0.0", "--port", "0"]);
    assert!(err.contains("--listen 0.0.0.0 needs --auth FILE"), "{err}");
}

#[test]
fn pages_answer_with_the_security_headers() {
    let env = Env::with_catalogue();
    log(&env, GERBERA, &[]);
    let server = Server::start(&env, &[]);
    for path in [
        "/",
        "/weapons",
        "/weapons/Gerbera",
        "/parts",
        "/makers",
        "/search?q=viewpro",
        "/reports",
    ] {
        let reply = server.get(path, None);
        assert_eq!(reply.status, 200, "{path}: {}", reply.text());
        let csp = reply.header("content-security-policy").expect("a CSP");
        assert!(csp.contains("script-src 'self'"), "{path}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        assert_eq!(reply.header("x-content-type-options"), Some("nosniff"));
        let cookie = reply
            .headers
            .iter()
            .find(|(k, _)| k == "set-cookie")
            .map(|(_, v)| v.clone())
            .expect("a session cookie");
        assert!(
            cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
            "{cookie}"
        );
        assert!(
            !reply.text().contains("<script>"),
            "{path}: no inline script"
        );
    }
    assert_eq!(server.get("/weapons/No-such-drone", None).status, 404);
    assert_eq!(server.get("/parts?weapon=No-such-drone", None).status, 400);
}

#[test]
fn the_weapon_page_shows_its_components_with_photos() {
    let env = Env::with_catalogue();
    let photo = env.write("camera.jpg", b"\xff\xd8\xff\xe0 jpeg bytes of the camera");
    let page = env.write("teardown.html", b"<html><script>alert(1)</script></html>");
    log(
        &env,
        GERBERA,
        &[
            "--evidence-file",
            photo.to_str().unwrap(),
            "--evidence-file",
            page.to_str().unwrap(),
        ],
    );
    let server = Server::start(&env, &[]);
    let html = server.get("/weapons/Gerbera", None).text();
    let sha_photo = sha256(b"\xff\xd8\xff\xe0 jpeg bytes of the camera");
    let sha_page = sha256(b"<html><script>alert(1)</script></html>");
    assert!(html.contains("A40 Pro"), "{html}");
    assert!(html.contains("Viewpro"), "{html}");
    assert!(
        html.contains(&format!(
            "<img class=\"thumb\" src=\"/evidence/{sha_photo}\""
        )),
        "{html}"
    );
    assert!(
        html.contains(&format!("href=\"/evidence/{sha_page}\"")),
        "{html}"
    );
    // a photo inline with its type; anything else only as a download named by its hash
    let image = server.get(&format!("/evidence/{sha_photo}"), None);
    assert_eq!(image.status, 200);
    assert_eq!(image.header("content-type"), Some("image/jpeg"));
    assert_eq!(image.body, b"\xff\xd8\xff\xe0 jpeg bytes of the camera");
    let other = server.get(&format!("/evidence/{sha_page}"), None);
    assert_eq!(other.status, 200);
    assert_eq!(
        other.header("content-type"),
        Some("application/octet-stream")
    );
    assert_eq!(
        other.header("content-disposition"),
        Some(format!("attachment; filename=\"{sha_page}\"").as_str())
    );
    // not a hash, or a hash no source names: nothing
    assert_eq!(
        server.get("/evidence/..%2F..%2Fetc%2Fpasswd", None).status,
        404
    );
    assert_eq!(
        server
            .get(&format!("/evidence/{}", "0".repeat(64)), None)
            .status,
        404
    );
}

pub fn sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn hostile_catalogue_text_is_escaped_on_every_page() {
    let env = Env::with_catalogue();
    let hostile = "<script>alert(1)</script>";
    log(
        &env,
        &[
            ("weapon", "Gerbera\"><img src=x onerror=alert(2)>"),
            ("component", hostile),
            ("part-number", "X1<b>"),
            ("manufacturer", "<img src=x onerror=alert(3)>"),
            ("marking", "</td><script>alert(4)</script>"),
            ("investigator", "cli tester"),
        ],
        &[],
    );
    let server = Server::start(&env, &[]);
    let weapon = "Gerbera\"><img src=x onerror=alert(2)>";
    for path in [
        "/weapons".to_string(),
        format!("/weapons/{}", encode(weapon)),
        "/parts".to_string(),
        "/makers".to_string(),
        format!("/parts/{}", encode("X1<b>")),
        "/search?q=script".to_string(),
        format!("/reports/weapon?name={}", encode(weapon)),
        "/reports/origin".to_string(),
    ] {
        let reply = server.get(&path, None);
        assert_eq!(reply.status, 200, "{path}: {}", reply.text());
        let text = reply.text();
        for raw in ["<script>alert", "<img src=x", "<b>"] {
            assert!(
                !text.contains(raw),
                "{path} carries {raw} unescaped:\n{text}"
            );
        }
    }
    let parts = server.get("/parts", None).text();
    assert!(
        parts.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{parts}"
    );
}

#[test]
fn data_twins_are_the_commands_output() {
    let env = Env::with_catalogue();
    env.ok(&["import", crate::util::SAMPLE]);
    let server = Server::start(&env, &[]);
    for (path, args) in [
        ("/weapons?format=csv", vec!["weapons", "--format", "csv"]),
        (
            "/makers?country=CN&format=json",
            vec!["manufacturers", "--country", "CN", "--format", "json"],
        ),
        (
            "/parts?manufacturer=texas+instruments+inc&format=csv",
            vec![
                "parts",
                "--manufacturer",
                "texas instruments inc",
                "--format",
                "csv",
            ],
        ),
        (
            "/weapons/Gerbera?format=json",
            vec!["show", "weapon", "Gerbera", "--format", "json"],
        ),
        (
            "/search?q=viewpro&format=csv",
            vec!["search", "viewpro", "--format", "csv"],
        ),
        (
            "/reports/weapon?name=Shahed-136&format=json",
            vec!["report", "weapon", "Shahed-136", "--format", "json"],
        ),
        (
            "/reports/origin?by=hq&format=csv",
            vec!["report", "origin", "--by", "hq", "--format", "csv"],
        ),
        (
            "/reports/date-codes?after=2022-02-24&format=json",
            vec![
                "report",
                "date-codes",
                "--after",
                "2022-02-24",
                "--format",
                "json",
            ],
        ),
    ] {
        let reply = server.get(path, None);
        assert_eq!(reply.status, 200, "{path}: {}", reply.text());
        assert_eq!(reply.text(), env.ok(&args), "{path} differs from {args:?}");
    }
    // a report page is the HTML report, with its stylesheet allowed by hash and no script
    let page = server.get("/reports/weapon?name=Gerbera", None);
    assert_eq!(page.status, 200);
    let csp = page.header("content-security-policy").unwrap();
    assert!(csp.contains("style-src 'self' 'sha256-"), "{csp}");
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert!(
        page.text()
            .contains("/reports/weapon?name=Gerbera&amp;format=csv"),
        "{}",
        page.text()
    );
    // options that read or write files are not the page's to give
    assert_eq!(server.get("/reports/origin?out=x.html", None).status, 400);
    assert!(!env.dir.path().join("x.html").exists());
}

#[test]
fn long_lists_are_paged_and_the_twin_has_every_row() {
    let env = Env::with_catalogue();
    env.ok(&["import", crate::util::SAMPLE]);
    let server = Server::start(&env, &[]);
    let all = env.json(&["parts", "--format", "json"]);
    let total = all.as_array().unwrap().len();
    assert!(
        total > 100,
        "the sample has more parts than a page: {total}"
    );
    let first = server.get("/parts", None).text();
    assert!(
        first.contains(&format!("{total} rows, 1–100 shown")),
        "{first}"
    );
    assert!(first.contains("href=\"/parts?page=2\""), "{first}");
    let second = server.get("/parts?page=2", None).text();
    let uid_101 = all[100]["uid"].as_str().unwrap();
    assert!(second.contains(uid_101), "row 101 is on page 2");
    assert!(!first.contains(uid_101), "and not on page 1");
}

#[test]
fn a_post_without_the_sessions_token_is_refused() {
    let env = Env::with_catalogue();
    let server = Server::start(&env, &[]);
    let form = server.get("/login", None);
    let cookie = form.cookie().expect("a session");
    let token = form.field("csrf").expect("the form carries a token");
    assert_eq!(token.len(), 64, "256 random bits: {token}");
    // no token, a wrong one, or the right one from another session: 403, saying why
    for (cookie, token) in [
        (Some(cookie.as_str()), None),
        (Some(cookie.as_str()), Some("0".repeat(64))),
        (None, Some(token.clone())),
    ] {
        let mut fields = vec![("name", "x"), ("password", "y")];
        if let Some(t) = &token {
            fields.push(("csrf", t.as_str()));
        }
        let reply = server.post_form("/login", cookie, &fields);
        assert_eq!(reply.status, 403, "{}", reply.text());
        assert!(
            reply.text().contains("security token is missing or stale"),
            "{}",
            reply.text()
        );
    }
    let other = server.get("/login", None);
    assert_ne!(
        other.field("csrf"),
        Some(token.clone()),
        "each session has its own"
    );
    let accepted = server.post_form(
        "/login",
        Some(&cookie),
        &[("name", "x"), ("password", "y"), ("csrf", &token)],
    );
    assert_eq!(accepted.status, 303, "{}", accepted.text());
}

/// A session and its token, from the finding form.
fn session(server: &Server) -> (String, String) {
    let form = server.get("/log", None);
    assert_eq!(form.status, 200, "{}", form.text());
    (
        form.cookie().expect("a session"),
        form.field("csrf").expect("a token"),
    )
}

const FORM: &[(&str, &str)] = &[
    ("weapon", "Gerbera"),
    ("component", "Viewpro A40 Pro camera"),
    ("part_number", "A40 Pro"),
    ("manufacturer", "viewpro"),
    ("manufacturer_country", "China"),
    ("found_on", "2025-03-02"),
    ("marking", "SN 77 <b>x</b>"),
];

fn with_token<'a>(token: &'a str, extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut fields: Vec<(&str, &str)> = FORM.to_vec();
    fields.extend_from_slice(extra);
    fields.push(("csrf", token));
    fields
}

#[test]
fn a_finding_logged_from_the_page_is_recorded_as_log_records_it() {
    let env = Env::with_catalogue();
    log(&env, GERBERA, &[]);
    let server = Server::start(&env, &[]);
    let (cookie, token) = session(&server);
    let photo: &[u8] = b"\xff\xd8\xff\xe0 a photo of the camera board";
    let reply = server.post_multipart(
        "/log",
        Some(&cookie),
        &with_token(&token, &[("evidence_url", "https://example.org/teardown")]),
        &[("photo", "../../IMG 0001.jpg", photo)],
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    let page = reply.text();
    let shown = env.json(&["show", "part", "A40 Pro", "--format", "json"]);
    let observations = shown["observations"].as_array().unwrap();
    assert_eq!(observations.len(), 2, "one from the CLI, one from the page");
    let ours = observations
        .iter()
        .find(|o| o["marking"] == "SN 77 <b>x</b>")
        .expect("the page's finding, on the part the CLI logged (names resolved as on import)");
    let uid = ours["uid"].as_str().unwrap();
    assert!(page.contains(uid), "the new uid is shown: {page}");
    assert_eq!(ours["investigator"], "web tester");
    let sha = sha256(photo);
    assert!(page.contains(&sha), "the hash is shown");
    assert!(page.contains("stored"), "{page}");
    // stored by hash, never by the name the client gave
    let store = env.dir.path().join("catalogue.db-evidence");
    assert_eq!(std::fs::read(store.join(&sha)).unwrap(), photo);
    assert_eq!(std::fs::read_dir(&store).unwrap().count(), 1);
    assert!(!env.dir.path().join("IMG 0001.jpg").exists());
    // the same photo again, on another finding: recognised
    let again = server.post_multipart(
        "/log",
        Some(&cookie),
        &with_token(&token, &[("date_code", "2405")]),
        &[("photo", "copy.jpg", photo)],
    );
    assert_eq!(again.status, 200, "{}", again.text());
    assert!(
        again.text().contains("already in the store"),
        "{}",
        again.text()
    );
    // suggestions as you type: the names the catalogue knows, as JSON for the vendored script
    let names = server.get("/suggest?kind=manufacturer&q=viewp", Some(&cookie));
    assert_eq!(names.header("content-type"), Some("application/json"));
    assert_eq!(names.text(), "[\"Viewpro\"]");
    let script = server.get("/static/suggest.js", None);
    assert_eq!(
        script.header("content-type"),
        Some("text/javascript; charset=utf-8")
    );
    assert!(script.text().contains("/suggest?kind="));
    // and the weapon page shows it as a thumbnail
    let weapon = server.get("/weapons/Gerbera", None).text();
    assert!(
        weapon.contains(&format!("src=\"/evidence/{sha}\"")),
        "{weapon}"
    );
}

#[test]
fn the_form_refuses_without_its_token_or_an_author() {
    let env = Env::with_catalogue();
    let server = Server::start(&env, &[]);
    let (cookie, _) = session(&server);
    let forged = server.post_multipart("/log", Some(&cookie), FORM, &[]);
    assert_eq!(forged.status, 403, "{}", forged.text());
    assert_eq!(env.count("SELECT count(*) FROM observation"), 0);
    drop(server);
    // no --investigator, no COMPTRACE_INVESTIGATOR, USER or LOGNAME: refused, as the CLI refuses
    let server = Server::start_with(&env, &[], &[]);
    let (cookie, token) = session(&server);
    let reply = server.post_multipart("/log", Some(&cookie), &with_token(&token, &[]), &[]);
    assert_eq!(reply.status, 400, "{}", reply.text());
    assert!(
        reply
            .text()
            .contains("no investigator to record this decision under"),
        "{}",
        reply.text()
    );
    assert_eq!(env.count("SELECT count(*) FROM observation"), 0);
}

#[test]
fn a_bad_field_brings_the_form_back_with_what_was_typed() {
    let env = Env::with_catalogue();
    let server = Server::start(&env, &[]);
    let (cookie, token) = session(&server);
    let reply = server.post_multipart(
        "/log",
        Some(&cookie),
        &with_token(&token, &[("date_code", "2214"), ("found_at", "Kharkiv")]),
        &[],
    );
    assert_eq!(reply.status, 200, "control: {}", reply.text());
    let mut fields = with_token(&token, &[]);
    fields.retain(|(k, _)| *k != "found_on");
    fields.push(("found_on", "2024-13-45"));
    let reply = server.post_multipart("/log", Some(&cookie), &fields, &[]);
    assert_eq!(reply.status, 400, "{}", reply.text());
    let text = reply.text();
    assert!(text.contains("found_on"), "{text}");
    assert!(text.contains("value=\"2024-13-45\""), "kept: {text}");
    assert!(
        text.contains("value=\"SN 77 &lt;b&gt;x&lt;/b&gt;\""),
        "kept and escaped: {text}"
    );
    assert_eq!(env.count("SELECT count(*) FROM observation"), 1);
}

#[test]
fn an_upload_past_the_limit_is_refused_and_nothing_is_stored() {
    let env = Env::with_catalogue();
    let server = Server::start(&env, &["--max-upload", "1"]);
    let (cookie, token) = session(&server);
    let big = vec![7u8; 1024 * 1024 + 200 * 1024];
    let reply = server.post_multipart(
        "/log",
        Some(&cookie),
        &with_token(&token, &[]),
        &[("photo", "big.jpg", &big)],
    );
    assert_eq!(reply.status, 413, "{}", reply.text());
    assert_eq!(env.count("SELECT count(*) FROM observation"), 0);
    let store = env.dir.path().join("catalogue.db-evidence");
    assert!(!store.exists() || std::fs::read_dir(&store).unwrap().count() == 0);
    // under the limit, the same form is taken
    let small = vec![7u8; 900 * 1024];
    let reply = server.post_multipart(
        "/log",
        Some(&cookie),
        &with_token(&token, &[]),
        &[("photo", "ok.jpg", &small)],
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
}

#[test]
fn a_write_that_cannot_get_the_lock_answers_503_and_keeps_the_form() {
    let env = Env::with_catalogue();
    let server = Server::start(&env, &["--lock-wait", "1"]);
    let (cookie, token) = session(&server);
    // another writer (as a long import would) holds the catalogue's write lock
    let holder = env.conn();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    let started = std::time::Instant::now();
    let reply = server.post_multipart("/log", Some(&cookie), &with_token(&token, &[]), &[]);
    assert_eq!(reply.status, 503, "{}", reply.text());
    assert!(
        started.elapsed() < std::time::Duration::from_secs(20),
        "it waited about --lock-wait"
    );
    assert_eq!(reply.header("retry-after"), Some("5"));
    let text = reply.text();
    assert!(text.contains("the catalogue is busy"), "{text}");
    assert!(
        text.contains("value=\"SN 77 &lt;b&gt;x&lt;/b&gt;\""),
        "what was typed is kept: {text}"
    );
    holder.execute_batch("ROLLBACK").unwrap();
    drop(holder);
    assert_eq!(env.count("SELECT count(*) FROM observation"), 0);
    // once the lock is free, the same form goes through
    let reply = server.post_multipart("/log", Some(&cookie), &with_token(&token, &[]), &[]);
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(env.count("SELECT count(*) FROM observation"), 1);
}

/// A catalogue where dedup suggests a misspelt maker and an OCR slip in a part number.
fn lookalikes() -> Env {
    let env = Env::with_catalogue();
    let csv = crate::util::findings_csv(&[
        "Shahed-136,IR,regulator,TPS54331,power,Texas Instruments,US,,,,,,,,https://e.org/1,,,,",
        "Shahed-136,IR,DSP,TMS320F28335,DSP,Texas Instruyments,US,,,,,,,,https://e.org/2,,,,",
        "Kh-101,RU,MCU,STM32F405RGT6,microcontroller,STMicroelectronics,CH,,,,,,,,https://e.org/3,,,,",
        "Kh-101,RU,MCU,STM32F4O5RGT6,microcontroller,STMicroelectronics,CH,,,,,,,,https://e.org/4,,,,",
    ]);
    let f = env.write("f.csv", csv);
    env.ok(&["import", f.to_str().unwrap()]);
    env
}

fn maker_names(env: &Env) -> Vec<String> {
    env.json(&["manufacturers", "--format", "json"])
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn review_merges_as_dedup_does_and_the_merge_log_undoes_it() {
    let env = lookalikes();
    let server = Server::start(&env, &[]);
    let page = server.get("/review?kind=manufacturer", None);
    assert_eq!(page.status, 200, "{}", page.text());
    let text = page.text();
    assert!(
        text.contains("Texas Instruyments") && text.contains("Texas Instruments"),
        "{text}"
    );
    assert!(
        text.contains("score 0.") || text.contains("score 1."),
        "scores shown: {text}"
    );
    let cookie = page.cookie().unwrap();
    let token = page.field("csrf").unwrap();
    let members = page.field("members").unwrap();
    // a stale page (members no longer a group) records nothing
    let stale = server.post_form(
        "/review/decide",
        Some(&cookie),
        &[
            ("csrf", &token),
            ("kind", "manufacturer"),
            ("members", "x,y"),
            ("decision", "same"),
        ],
    );
    assert_eq!(stale.status, 409, "{}", stale.text());
    assert_eq!(maker_names(&env).len(), 3);
    let same = server.post_form(
        "/review/decide",
        Some(&cookie),
        &[
            ("csrf", &token),
            ("kind", "manufacturer"),
            ("members", &members),
            ("n", "1"),
            ("decision", "same"),
        ],
    );
    assert_eq!(same.status, 303, "{}", same.text());
    assert_eq!(
        maker_names(&env),
        ["STMicroelectronics", "Texas Instruments"]
    );
    let log = env.json(&["merges", "--format", "json"]);
    assert_eq!(log[0]["action"], "merge");
    assert_eq!(log[0]["kind"], "manufacturer");
    assert_eq!(log[0]["into"], "Texas Instruments");
    assert_eq!(log[0]["author"], "web tester");
    env.ok(&["check"]);
    // recorded as dedup --apply records it: the judgement keeps the pair's score and reason
    assert_eq!(
        env.count("SELECT count(*) FROM judgement WHERE score IS NOT NULL AND reasons IS NOT NULL"),
        1
    );
    // the merge log page lists it with an undo button, and undoing it separates them again
    let merges = server.get("/merges", Some(&cookie));
    let merge_uid = log[0]["uid"].as_str().unwrap();
    assert!(merges.text().contains(merge_uid), "{}", merges.text());
    assert_eq!(merges.field("id").as_deref(), Some(merge_uid));
    let undo = server.post_form(
        "/merges/undo",
        Some(&cookie),
        &[("csrf", &token), ("id", merge_uid)],
    );
    assert_eq!(undo.status, 303, "{}", undo.text());
    assert_eq!(maker_names(&env).len(), 3);
    let log = env.json(&["merges", "--format", "json"]);
    assert_eq!(log[1]["action"], format!("unmerge of {merge_uid}"));
    assert!(
        !server
            .get("/merges", Some(&cookie))
            .text()
            .contains("name=\"id\""),
        "nothing left to undo"
    );
}

#[test]
fn different_records_what_distinct_records_and_unsure_records_nothing() {
    let env = lookalikes();
    let server = Server::start(&env, &[]);
    let page = server.get("/review?kind=part", None);
    let (cookie, token) = (page.cookie().unwrap(), page.field("csrf").unwrap());
    let members = page.field("members").unwrap();
    let scope = page.field("scope").unwrap();
    assert_eq!(scope, "part", "the list the page showed the group from");
    assert!(page.text().contains("STM32F4O5RGT6"), "{}", page.text());
    let unsure = server.post_form(
        "/review/decide",
        Some(&cookie),
        &[
            ("csrf", &token),
            ("kind", "part"),
            ("members", &members),
            ("scope", &scope),
            ("n", "1"),
            ("decision", "unsure"),
        ],
    );
    assert_eq!(unsure.status, 303);
    assert_eq!(unsure.header("location"), Some("/review?kind=part&n=2"));
    assert_eq!(env.count("SELECT count(*) FROM judgement"), 0);
    let different = server.post_form(
        "/review/decide",
        Some(&cookie),
        &[
            ("csrf", &token),
            ("kind", "part"),
            ("members", &members),
            ("n", "1"),
            ("decision", "different"),
        ],
    );
    assert_eq!(different.status, 303, "{}", different.text());
    let again = env.json(&["dedup", "--kind", "part", "--format", "json"]);
    assert_eq!(
        again.as_array().unwrap().len(),
        0,
        "judged different, never suggested again: {again}"
    );
    assert_eq!(env.count("SELECT count(*) FROM judgement"), 1);
}

/// A users file with one user of each role, all with the password "s3cret".
fn users_file(env: &Env) -> std::path::PathBuf {
    let out = env
        .cmd()
        .args(["serve", "--hash-password"])
        .write_stdin("s3cret\n")
        .output()
        .unwrap();
    assert!(out.status.success());
    let hash = String::from_utf8(out.stdout).unwrap().trim().to_string();
    assert!(hash.starts_with("$argon2id$"), "{hash}");
    env.write(
        "users.txt",
        format!("# name:role:hash\nrita:reader:{hash}\nivan:investigator:{hash}\nvera:reviewer:{hash}\n"),
    )
}

/// Logs in and returns the session cookie.
fn login(server: &Server, name: &str, password: &str) -> Result<String, u16> {
    let form = server.get("/login", None);
    let reply = server.post_form(
        "/login",
        form.cookie().as_deref(),
        &[
            ("csrf", &form.field("csrf").unwrap()),
            ("name", name),
            ("password", password),
        ],
    );
    match reply.status {
        303 => Ok(reply.cookie().expect("a new session on login")),
        other => Err(other),
    }
}

#[test]
fn with_auth_each_role_does_only_what_it_may() {
    let env = lookalikes();
    let users = users_file(&env);
    let server = Server::start_with(
        &env,
        &["--listen", "127.0.0.1", "--auth", users.to_str().unwrap()],
        &[],
    );
    let anonymous = server.get("/weapons", None);
    assert_eq!(anonymous.status, 303);
    assert_eq!(anonymous.header("location"), Some("/login"));
    assert_eq!(login(&server, "rita", "wrong"), Err(401));
    assert_eq!(login(&server, "nobody", "s3cret"), Err(401));
    // a reader reads, and cannot post anything
    let rita = login(&server, "rita", "s3cret").unwrap();
    assert_eq!(server.get("/weapons", Some(&rita)).status, 200);
    let form = server.get("/log", Some(&rita));
    let refused = server.post_multipart(
        "/log",
        Some(&rita),
        &with_token(&form.field("csrf").unwrap(), &[]),
        &[],
    );
    assert_eq!(refused.status, 403, "{}", refused.text());
    assert!(refused.text().contains("reader"), "{}", refused.text());
    // an investigator logs findings under their own name, and cannot merge
    let ivan = login(&server, "ivan", "s3cret").unwrap();
    let form = server.get("/log", Some(&ivan));
    let token = form.field("csrf").unwrap();
    let logged = server.post_multipart("/log", Some(&ivan), &with_token(&token, &[]), &[]);
    assert_eq!(logged.status, 200, "{}", logged.text());
    assert_eq!(
        env.count("SELECT count(*) FROM observation WHERE investigator = 'ivan'"),
        1
    );
    let review = server.get("/review?kind=manufacturer", Some(&ivan));
    let members = review.field("members").unwrap();
    let decide = [
        ("csrf", token.as_str()),
        ("kind", "manufacturer"),
        ("members", members.as_str()),
        ("decision", "same"),
    ];
    let refused = server.post_form("/review/decide", Some(&ivan), &decide);
    assert_eq!(refused.status, 403, "{}", refused.text());
    assert!(refused.text().contains("reviewer"), "{}", refused.text());
    assert_eq!(env.count("SELECT count(*) FROM judgement"), 0);
    // a reviewer merges, under their own name
    let vera = login(&server, "vera", "s3cret").unwrap();
    let token = server.get("/review", Some(&vera)).field("csrf").unwrap();
    let decide = [
        ("csrf", token.as_str()),
        ("kind", "manufacturer"),
        ("members", members.as_str()),
        ("decision", "same"),
    ];
    assert_eq!(
        server
            .post_form("/review/decide", Some(&vera), &decide)
            .status,
        303
    );
    assert_eq!(
        env.json(&["merges", "--format", "json"])[0]["author"],
        "vera"
    );
    // logging out ends the session
    let out = server.post_form("/logout", Some(&vera), &[("csrf", &token)]);
    assert_eq!(out.status, 303);
    assert_eq!(server.get("/weapons", Some(&vera)).status, 303);
}

#[test]
fn a_users_file_it_cannot_read_stops_the_server_from_starting() {
    let env = Env::with_catalogue();
    let bad = env.write(
        "users.txt",
        "vera:admin:$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo\n",
    );
    let err = env.fails(&[
        "serve",
        "--listen",
        "127.0.0.1",
        "--auth",
        bad.to_str().unwrap(),
        "--port",
        "0",
    ]);
    assert!(err.contains("line 1: role \"admin\""), "{err}");
}

#[test]
fn a_finding_is_amended_and_retracted_from_its_page() {
    let env = Env::with_catalogue();
    let uid = log(&env, GERBERA, &[]);
    let server = Server::start(&env, &[]);
    let path = format!("/findings/{uid}");
    let page = server.get(&path, None);
    assert_eq!(page.status, 200, "{}", page.text());
    assert!(
        page.text().contains("value=\"A40 Pro\""),
        "what it states: {}",
        page.text()
    );
    let (cookie, token) = (page.cookie().unwrap(), page.field("csrf").unwrap());
    // every correction says why: refused without a reason, the form keeping what was typed
    let amend = format!("{path}/amend");
    let refused = server.post_form(
        &amend,
        Some(&cookie),
        &[
            ("csrf", &token),
            ("part_number", "A40 Pro <Max>"),
            ("reason", " "),
        ],
    );
    assert_eq!(refused.status, 400, "{}", refused.text());
    assert!(
        refused.text().contains("--reason: empty"),
        "{}",
        refused.text()
    );
    assert!(
        refused.text().contains("value=\"A40 Pro &lt;Max&gt;\""),
        "{}",
        refused.text()
    );
    assert_eq!(env.count("SELECT count(*) FROM revision"), 0);
    // with a reason: a revision, as `amend` makes one, under the page's author
    let done = server.post_form(
        &amend,
        Some(&cookie),
        &[
            ("csrf", &token),
            ("part_number", "A40 Pro <Max>"),
            ("reason", "the label says Max"),
        ],
    );
    assert_eq!(done.status, 303, "{}", done.text());
    let history = env.ok(&["history", &uid, "--format", "csv"]);
    let line = history
        .lines()
        .find(|l| l.contains(",amend,"))
        .unwrap_or_else(|| panic!("{history}"));
    assert!(
        line.contains("web tester") && line.contains("the label says Max"),
        "{line}"
    );
    assert!(
        line.contains("part_number: A40 Pro -> A40 Pro <Max>"),
        "{line}"
    );
    env.ok(&["check"]);
    // a retraction's evidence is a web page, never a path on the server
    let retract = format!("{path}/retract");
    let by_path = server.post_form(
        &retract,
        Some(&cookie),
        &[
            ("csrf", &token),
            ("reason", "wrong"),
            ("source", "/etc/hostname"),
        ],
    );
    assert_eq!(by_path.status, 400, "{}", by_path.text());
    assert_eq!(
        env.count("SELECT count(*) FROM observation WHERE retracted = 1"),
        0
    );
    let retracted = server.post_form(
        &retract,
        Some(&cookie),
        &[
            ("csrf", &token),
            ("reason", "a duplicate report"),
            ("source", "https://example.org/why"),
        ],
    );
    assert_eq!(retracted.status, 303, "{}", retracted.text());
    assert_eq!(
        env.count("SELECT count(*) FROM observation WHERE retracted = 1"),
        1
    );
    let page = server.get(&path, Some(&cookie)).text();
    assert!(
        page.contains("retracted") && page.contains("Put back"),
        "{page}"
    );
    assert_eq!(
        server.get("/findings/no-such-finding-uid", None).status,
        404
    );
}

#[test]
fn a_report_page_is_kept_until_the_catalogue_changes() {
    let env = Env::with_catalogue();
    log(&env, GERBERA, &[]);
    let server = Server::start(&env, &[]);
    let path = "/reports/origin?by=hq";
    let first = server.get(path, None);
    assert_eq!(first.status, 200);
    assert_eq!(first.header("x-comptrace-cache"), Some("miss"));
    let second = server.get(path, None);
    assert_eq!(second.header("x-comptrace-cache"), Some("hit"));
    assert_eq!(second.text(), first.text(), "the kept page is the page");
    // another filter is another page
    let twin = server.get("/reports/origin?by=hq&format=csv", None);
    assert_eq!(twin.header("x-comptrace-cache"), Some("miss"));
    // a write by another process (the CLI) is seen: the page is built again, with it
    let mut other = GERBERA.to_vec();
    other.retain(|(k, _)| !k.starts_with("manufacturer"));
    other.extend([
        ("manufacturer", "Hikvision"),
        ("manufacturer-country", "TW"),
    ]);
    log(&env, &other, &[]);
    let third = server.get(path, None);
    assert_eq!(third.header("x-comptrace-cache"), Some("miss"));
    assert!(third.text().contains("Taiwan") || third.text().contains("TW"));
    assert!(!first.text().contains("Hikvision") && third.text().contains("Hikvision"));
    assert_eq!(
        server.get(path, None).header("x-comptrace-cache"),
        Some("hit")
    );
    // and the kept page is what the command makes now
    let page = server.get("/reports/origin?by=hq&format=csv", None);
    assert_eq!(
        page.text(),
        env.ok(&["report", "origin", "--by", "hq", "--format", "csv"])
    );
}
