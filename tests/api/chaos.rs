//! Faults under load, with the real `pnyx` binary (build it first: `cargo build -p pnyx`):
//! `kill -9` in the middle of ballot casts and meeting sign-ups, on SQLite and PostgreSQL; and
//! PostgreSQL stopped and started again under load, on a throwaway cluster of its own (never
//! the shared one). `just chaos` runs these alone and shows what they checked.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use futures_util::future::join_all;
use serde_json::{Value, json};
use tokio::sync::Mutex;

use crate::budgets::{BUDGETS, voting};
use crate::crash::Server;
use crate::helpers::{User, postgres_url};
use crate::meetings::{create, meeting};
use crate::on_both_databases;

/// What one resident's requests left behind: the last acknowledged write and the one in flight
/// when the server died (unknown: it may or may not have committed).
#[derive(Default, Clone)]
struct Outcome {
    registered: Option<String>,
    registration_in_flight: bool,
    ballot: Option<Vec<String>>,
    ballot_in_flight: Option<Vec<String>>,
    acknowledged: usize,
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

/// One resident's load: sign up for the meeting (waiting list allowed), then replace their
/// ballot again and again, one request at a time, until the server stops answering.
async fn resident_load(
    address: String,
    who: User,
    budget: String,
    meeting: String,
    ps: Vec<String>,
    acked: Arc<AtomicUsize>,
) -> Outcome {
    let client = reqwest::Client::builder().timeout(Duration::from_secs(20)).build().unwrap();
    let mut out = Outcome { registration_in_flight: true, ..Outcome::default() };
    let res = client
        .post(format!("{address}/api/v1/orgs/mesto/meetings/{meeting}/registrations"))
        .bearer_auth(&who.token)
        .json(&json!({"join_waiting_list": true}))
        .send()
        .await;
    match res {
        Ok(r) if r.status() == 201 => {
            let body: Value = r.json().await.unwrap();
            out.registered = Some(body["status"].as_str().unwrap().to_owned());
            out.registration_in_flight = false;
            out.acknowledged += 1;
            acked.fetch_add(1, Ordering::SeqCst);
        }
        Ok(r) => panic!("sign-up answered {}: {:?}", r.status(), r.text().await),
        Err(_) => return out,
    }
    let choices = [vec![0], vec![1], vec![0, 2], vec![1, 2]];
    for round in 0.. {
        let pick: Vec<String> = choices[round % choices.len()].iter().map(|&i| ps[i].clone()).collect();
        out.ballot_in_flight = Some(sorted(pick.clone()));
        let body = json!({"choices": pick.iter().map(|p| json!({"proposal_id": p})).collect::<Vec<_>>()});
        match client.put(format!("{address}{BUDGETS}/{budget}/ballot")).bearer_auth(&who.token).json(&body).send().await
        {
            Ok(r) if r.status().is_success() => {
                out.ballot = out.ballot_in_flight.take();
                out.acknowledged += 1;
                acked.fetch_add(1, Ordering::SeqCst);
            }
            Ok(r) => panic!("a cast answered {}: {:?}", r.status(), r.text().await),
            Err(_) => return out,
        }
    }
    out
}

on_both_databases! {
    async fn every_acknowledged_ballot_and_sign_up_survives_a_kill_9_and_none_is_there_twice(app) {
        let (official, budget, ps) = voting(&app, json!({"kind": "approval", "max_projects": 2})).await;
        let meeting_id = create(&app, &official, &meeting(48, Some(15))).await;
        let residents = join_all((0..30).map(|i| {
            let app = &app;
            async move { app.register(&format!("volic{i}@example.sk")).await }
        }))
        .await;

        let server = Server::on(app.database_url(), &[("PNYX_RATE_LIMIT_SCALE", "0".to_owned())]).await;
        let acked = Arc::new(AtomicUsize::new(0));
        let loads: Vec<_> = residents
            .iter()
            .map(|r| {
                let (address, ps) = (server.address.clone(), ps[..3].to_vec());
                tokio::spawn(resident_load(address, r.clone(), budget.clone(), meeting_id.clone(), ps, acked.clone()))
            })
            .collect();
        // Let the load run until every resident has signed up and cast about three ballots,
        // then pull the plug in the middle of it: no shutdown, no flushing.
        let deadline = Instant::now() + Duration::from_secs(120);
        while acked.load(Ordering::SeqCst) < residents.len() * 4 {
            assert!(Instant::now() < deadline, "the load did not get going");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        server.kill_9();
        let outcomes: Vec<Outcome> = join_all(loads).await.into_iter().map(Result::unwrap).collect();
        let acknowledged: usize = outcomes.iter().map(|o| o.acknowledged).sum();
        assert!(acknowledged > residents.len(), "the load ran before the kill ({acknowledged} writes acknowledged)");

        let server = Server::on(app.database_url(), &[]).await;
        let client = reqwest::Client::new();
        let mut ballots = 0;
        let mut signed_up = 0;
        for (i, (r, o)) in residents.iter().zip(&outcomes).enumerate() {
            let who = format!("volic{i}");
            let res = client.get(format!("{}{BUDGETS}/{budget}/ballot", server.address)).bearer_auth(&r.token).send().await.unwrap();
            let stored = if res.status() == 404 {
                None
            } else {
                assert_eq!(res.status(), 200);
                let b: Value = res.json().await.unwrap();
                Some(sorted(b["choices"].as_array().unwrap().iter().map(|c| c["proposal_id"].as_str().unwrap().to_owned()).collect()))
            };
            // What is stored is the last acknowledged ballot, or the one that was in flight.
            let allowed = [o.ballot.clone(), o.ballot_in_flight.clone()];
            assert!(
                allowed.contains(&stored) && (o.ballot.is_none() || stored.is_some()),
                "{}: stored {stored:?}, acknowledged {:?}, in flight {:?}",
                who, o.ballot, o.ballot_in_flight
            );
            ballots += usize::from(stored.is_some());

            let m: Value = client
                .get(format!("{}/api/v1/orgs/mesto/meetings/{meeting_id}", server.address))
                .bearer_auth(&r.token)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            let mine = &m["my_registration"];
            if o.registered.is_some() {
                assert!(!mine.is_null(), "{who}: an acknowledged sign-up is gone");
            } else if !o.registration_in_flight {
                assert!(mine.is_null(), "{who}");
            }
            signed_up += usize::from(!mine.is_null());
        }
        // Nothing twice: one ballot and one register entry per voter with a ballot, one
        // registration per person, and the meeting's counters equal to its rows (the test's
        // database holds this one process and this one meeting).
        let count = |sql: String| {
            let app = &app;
            async move { usize::try_from(app.scalar(&sql).await).unwrap() }
        };
        assert_eq!(count("SELECT COUNT(*) FROM budget_ballots".to_owned()).await, ballots);
        assert_eq!(count("SELECT COUNT(*) FROM budget_voters".to_owned()).await, ballots);
        let rows = count("SELECT COUNT(*) FROM meeting_registrations".to_owned()).await;
        assert_eq!(rows, signed_up);
        let confirmed = count("SELECT COUNT(*) FROM meeting_registrations WHERE status = 'confirmed'".to_owned()).await;
        assert_eq!(confirmed, signed_up.min(15), "the first fifteen have seats, the rest wait");
        let m: Value = client.get(format!("{}/api/v1/orgs/mesto/meetings/{meeting_id}", server.address)).send().await.unwrap().json().await.unwrap();
        assert_eq!(m["registrations"]["confirmed"], json!(confirmed));
        assert_eq!(m["registrations"]["waitlisted"], json!(rows - confirmed));
        println!(
            "kill -9 under load: {acknowledged} writes acknowledged by {} residents; after the restart {ballots} ballots \
             (each the last acknowledged or the one in flight), {rows} sign-ups ({confirmed} with a seat), none twice",
            residents.len()
        );
    }
}

/// A PostgreSQL cluster of this test's own, in a temporary folder on a free port, that the test
/// may stop and start (the shared server is never touched). Removed on drop.
struct Cluster {
    bin: PathBuf,
    dir: PathBuf,
    port: u16,
}

impl Cluster {
    fn bin_dir() -> PathBuf {
        let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
            .map(|d| {
                d.filter_map(Result::ok).map(|e| e.path().join("bin")).filter(|b| b.join("initdb").exists()).collect()
            })
            .unwrap_or_default();
        found.sort();
        found.pop().expect("PostgreSQL's server programs (initdb, pg_ctl) under /usr/lib/postgresql/*/bin")
    }

    /// A server program, run as the `postgres` user when this process is root (PostgreSQL
    /// refuses to run as root), as this user otherwise.
    fn command(&self, program: &str, args: &[&str]) -> Command {
        let root = Command::new("id").arg("-u").output().map(|o| o.stdout.starts_with(b"0")).unwrap_or(false);
        let path = self.bin.join(program);
        let mut cmd = if root {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(path);
            c
        } else {
            Command::new(path)
        };
        cmd.args(args);
        cmd
    }

    fn run(&self, program: &str, args: &[&str]) {
        let status = self.command(program, args).status().expect("run a PostgreSQL program");
        assert!(status.success(), "{program} {args:?} failed");
    }

    fn create() -> Cluster {
        let dir = std::env::temp_dir().join(format!("pnyx-chaos-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).unwrap();
        let _ = Command::new("chown").args(["postgres", dir.to_str().unwrap()]).status();
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let cluster = Cluster { bin: Self::bin_dir(), dir, port };
        let data = cluster.data();
        cluster.run("initdb", &["-D", &data, "-A", "trust", "-U", "postgres", "--no-sync"]);
        cluster
    }

    fn data(&self) -> String {
        self.dir.join("data").display().to_string()
    }

    fn start(&self) {
        let opts = format!("-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off", self.port, self.dir.display());
        let log = self.dir.join("log").display().to_string();
        self.run("pg_ctl", &["-D", &self.data(), "-o", &opts, "-l", &log, "-w", "start"]);
    }

    /// Stops at once, as a crash would: no checkpoint, connections cut.
    fn stop(&self) {
        self.run("pg_ctl", &["-D", &self.data(), "-m", "immediate", "-w", "stop"]);
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = self.command("pg_ctl", &["-D", &self.data(), "-m", "immediate", "stop"]).status();
        let _ = std::fs::remove_dir_all(Path::new(&self.dir));
    }
}

/// One request of the load: when it was sent, how it ended and how long it took.
struct Answer {
    sent: Instant,
    took: Duration,
    status: Option<u16>,
    problem: bool,
    retry_after: bool,
    email: Option<String>,
}

#[tokio::test]
async fn postgres_stopped_under_load_is_answered_503_at_once_and_the_server_recovers_by_itself() {
    if postgres_url().is_none() {
        eprintln!("PNYX_TEST_POSTGRES_URL is not set: skipping the PostgreSQL outage test");
        return;
    }
    let cluster = Cluster::create();
    cluster.start();
    let server = Server::on(&cluster.url(), &[("PNYX_RATE_LIMIT_SCALE", "0".to_owned())]).await;
    let address = server.address.clone();

    // Eight clients: reads of the organisation list and writes (sign-ups, each a new address).
    let stop = Arc::new(AtomicBool::new(false));
    let answers = Arc::new(Mutex::new(Vec::<Answer>::new()));
    let clients: Vec<_> = (0..8)
        .map(|c| {
            let (stop, answers, address) = (stop.clone(), answers.clone(), address.clone());
            tokio::spawn(async move {
                let client = reqwest::Client::builder().timeout(Duration::from_secs(30)).build().unwrap();
                let mut n = 0;
                while !stop.load(Ordering::SeqCst) {
                    n += 1;
                    let sent = Instant::now();
                    let (req, email) = if c % 2 == 0 {
                        (client.get(format!("{address}/api/v1/orgs")), None)
                    } else {
                        let email = format!("c{c}n{n}@example.sk");
                        let body = json!({"email": email, "password": "correct horse battery staple", "display_name": "Obyvateľ", "locale": "sk"});
                        (client.post(format!("{address}/api/v1/auth/register")).json(&body), Some(email))
                    };
                    let res = req.send().await;
                    let took = sent.elapsed();
                    let answer = match res {
                        Ok(r) => Answer {
                            sent,
                            took,
                            status: Some(r.status().as_u16()),
                            problem: r.headers().get("content-type").is_some_and(|v| v == "application/problem+json"),
                            retry_after: r.headers().contains_key("retry-after"),
                            email,
                        },
                        Err(_) => Answer { sent, took, status: None, problem: false, retry_after: false, email },
                    };
                    answers.lock().await.push(answer);
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
            })
        })
        .collect();

    let client = reqwest::Client::new();
    let ready = |client: &reqwest::Client| {
        let url = format!("{address}/readyz");
        let client = client.clone();
        async move { client.get(url).send().await.map(|r| r.status().as_u16()).unwrap_or(0) }
    };
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    let stopped = Instant::now();
    cluster.stop();
    // Within two seconds the server says it is not ready.
    let mut not_ready = None;
    while stopped.elapsed() < Duration::from_secs(10) {
        if ready(&client).await == 503 {
            not_ready = Some(stopped.elapsed());
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let not_ready = not_ready.expect("/readyz said 503 while PostgreSQL was down");
    assert!(not_ready < Duration::from_secs(3), "noticed after {not_ready:?}");
    tokio::time::sleep(Duration::from_secs(3)).await;
    let restarted = Instant::now();
    cluster.start();
    let mut recovered = None;
    while restarted.elapsed() < Duration::from_secs(20) {
        if ready(&client).await == 200 {
            recovered = Some(restarted.elapsed());
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let recovered = recovered.expect("the server recovered by itself after PostgreSQL came back");
    let back = Instant::now();
    let deadline = back + Duration::from_secs(30);
    while answers.lock().await.iter().filter(|a| a.sent > back + Duration::from_millis(300)).count() < 16 {
        assert!(Instant::now() < deadline, "the load went on after the recovery");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    stop.store(true, Ordering::SeqCst);
    for c in clients {
        c.await.unwrap();
    }

    let answers = answers.lock().await;
    let during: Vec<&Answer> =
        answers.iter().filter(|a| a.sent > stopped + Duration::from_secs(2) && a.sent < restarted).collect();
    let after: Vec<&Answer> = answers.iter().filter(|a| a.sent > back + Duration::from_millis(300)).collect();
    assert!(
        during.len() >= 8 && after.len() >= 8,
        "the load ran throughout ({} during, {} after)",
        during.len(),
        after.len()
    );
    let slowest = answers.iter().map(|a| a.took).max().unwrap();
    // Without the fail-fast a request waits for a connection for the pool's 10 s.
    assert!(slowest < Duration::from_secs(6), "no request hung: the slowest took {slowest:?}");
    assert!(answers.iter().all(|a| a.status != Some(500)), "no 500 at all");
    for a in &during {
        assert_eq!(a.status, Some(503), "while PostgreSQL is down, every request is refused at once");
        assert!(a.problem && a.retry_after, "as problem+json with Retry-After");
        assert!(a.took < Duration::from_secs(2), "at once, not after a wait ({:?})", a.took);
    }
    for a in &after {
        assert!(matches!(a.status, Some(200 | 202)), "after recovery every request succeeds: {:?}", a.status);
    }
    // Every acknowledged sign-up is there.
    let db = pnyx_persistence::Db::connect(&cluster.url(), &pnyx_persistence::PoolSettings::default()).await.unwrap();
    let acked: HashSet<&str> =
        answers.iter().filter(|a| a.status == Some(202)).filter_map(|a| a.email.as_deref()).collect();
    for email in &acked {
        let n = {
            use sea_orm::ConnectionTrait;
            let conn = db.connection();
            let stmt = sea_orm::Statement::from_string(
                conn.get_database_backend(),
                format!("SELECT COUNT(*) FROM users WHERE email = '{email}'"),
            );
            conn.query_one_raw(stmt).await.unwrap().unwrap().try_get_by_index::<i64>(0).unwrap()
        };
        assert_eq!(n, 1, "{email} was acknowledged");
    }
    drop(server);
    println!(
        "PostgreSQL outage under load: {} requests; /readyz said 503 {not_ready:?} after the stop; {} requests during the \
         outage all 503 problem+json with Retry-After, none slower than 2 s (without the fail-fast a request waits the pool's 10 s); recovered {recovered:?} after the restart; \
         {} requests after it all succeeded; no 500; slowest request {slowest:?}; {} acknowledged sign-ups all stored",
        answers.len(),
        during.len(),
        after.len(),
        acked.len()
    );
}
