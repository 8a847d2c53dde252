//! The check: asking the system resolver and public DNS servers, with deadlines.

use super::{
    BTreeSet, Code, ConnectionConfig, DNS_PORT, DnsOptions, DnsReport, Duration, Facts,
    FamilyAnswer, Finding, IpAddr, Lookup, Name, NameServerConfig, NetError, NoRecords, Outcome,
    PUBLIC_RESOLVERS, ProtocolConfig, RecordType, ResolveHosts, Resolver, ResolverAnswer,
    ResolverConfig, ResolverError, ResponseCode, SYSTEM_LOOKUP_MIN_TIME, ServerKind, Severity,
    SocketAddr, TokioRuntimeProvider, assess, flush_commands, io, list_addresses, normalize_name,
    read_hosts_entries, seconds_words, ttl_words,
};

/// A DNS server to ask, and who it is.
#[derive(Clone, Debug)]
pub(super) struct ServerSpec {
    pub(super) address: SocketAddr,
    pub(super) kind: ServerKind,
    pub(super) name: String,
}

/// Compares this computer's answer for `host` with fresh answers from DNS servers and the hosts file,
/// and says in plain words whether DNS explains the problem.
///
/// An IP address or `localhost` needs no lookup: the report then holds one finding saying so and
/// nothing is asked.
pub async fn check_dns(host: &str, options: &DnsOptions) -> DnsReport {
    let host = clean_host(host);
    let mut report = DnsReport {
        host: host.clone(),
        dns_involved: true,
        system: Vec::new(),
        system_error: None,
        fresh: Vec::new(),
        hosts_path: options.hosts_path.display().to_string(),
        hosts_entries: Vec::new(),
        hosts_error: None,
        findings: Vec::new(),
        flush: Vec::new(),
    };

    if let Some(finding) = not_involved(&host) {
        report.dns_involved = false;
        report.findings.push(finding);
        return report;
    }

    let name = match query_name(&host) {
        Ok(name) => name,
        Err(why) => {
            report.findings.push(
                Finding::new(
                    Code::DnsFailure,
                    format!("\"{host}\" is not a name that can be looked up: {why}."),
                )
                .title("This is not a valid site name")
                .evidence("Name", host.clone()),
            );
            return report;
        }
    };
    let lookup_host = normalize_name(&name.to_ascii());

    match read_hosts_entries(&options.hosts_path, &lookup_host) {
        Ok(entries) => report.hosts_entries = entries,
        Err(error) => report.hosts_error = Some(error.to_string()),
    }

    let (servers, config_note) = servers_to_ask(options);
    let system_future = system_answer(&lookup_host, options);
    let fresh_future = ask_all(&servers, &name, options.timeout);
    let (system, fresh) = tokio::join!(system_future, fresh_future);

    match &system {
        Ok(addresses) => report.system.clone_from(addresses),
        Err(why) => report.system_error = Some(why.clone()),
    }
    report.fresh = fresh;

    let facts = Facts {
        host: &host,
        system: &system,
        fresh: &report.fresh,
        hosts: &report.hosts_entries,
        hosts_path: &options.hosts_path,
        os: options.os,
        timeout: options.timeout,
        config_note: config_note.as_deref(),
    };
    report.findings = assess(&facts);
    let flushing_helps = report.findings.iter().any(|f| {
        matches!(
            f.code,
            Code::DnsMismatch | Code::HostsOverride | Code::IpV6OnlyDifference
        ) && f.severity <= Severity::Warning
    });
    if flushing_helps {
        report.flush = flush_commands(options.os, &options.flush_env);
    }
    report
}

/// The host as compared: no spaces, brackets or final dot, lower case.
pub(super) fn clean_host(host: &str) -> String {
    let host = host.trim();
    let host = host
        .strip_prefix('[')
        .and_then(|rest| rest.strip_suffix(']'))
        .unwrap_or(host);
    normalize_name(host)
}

/// The finding for a host that needs no DNS (an IP address or `localhost`), if it is one.
pub(super) fn not_involved(host: &str) -> Option<Finding> {
    // Not the code's usual explanation, which says this computer's answer matches the DNS
    // servers': nothing was asked, so nothing was compared.
    let explanation = "DNS, the internet's phone book, turns a site's name into the numeric \
                       address of its server. This address needs no lookup.";
    if let Ok(address) = host.parse::<IpAddr>() {
        let mut finding = Finding::new(
            Code::DnsConsistent,
            format!(
                "The address {address} is already a number, so no DNS lookup happens and DNS \
                     cannot be the cause. Flushing the DNS cache will not change anything."
            ),
        )
        .title("DNS is not involved: the address is a number")
        .steps(["Nothing to do about DNS."])
        .evidence("Address", address.to_string());
        explanation.clone_into(&mut finding.explanation);
        return Some(finding);
    }
    if host == "localhost" || host.ends_with(".localhost") {
        let mut finding = Finding::new(
            Code::DnsConsistent,
            format!(
                "\"{host}\" always means this computer itself; it is not looked up in DNS, so DNS \
                     cannot be the cause. Flushing the DNS cache will not change anything."
            ),
        )
        .title("DNS is not involved: localhost is this computer")
        .steps(["Nothing to do about DNS."])
        .evidence("Name", host.to_owned());
        explanation.clone_into(&mut finding.explanation);
        return Some(finding);
    }
    None
}

/// The name to ask DNS servers, fully qualified so no search domain is added.
pub(super) fn query_name(host: &str) -> Result<Name, String> {
    if host.is_empty() {
        return Err("no name was given".to_owned());
    }
    let mut name = Name::from_utf8(host).map_err(|error| error.to_string())?;
    name.set_fqdn(true);
    Ok(name)
}

/// The servers to ask, and a note in plain words if this computer's DNS settings could not be read.
pub(super) fn servers_to_ask(options: &DnsOptions) -> (Vec<ServerSpec>, Option<String>) {
    if !options.servers.is_empty() {
        let servers = options
            .servers
            .iter()
            .map(|address| ServerSpec {
                address: *address,
                kind: ServerKind::Chosen,
                name: "The DNS server you chose".to_owned(),
            })
            .collect();
        return (servers, None);
    }
    let mut servers: Vec<ServerSpec> = Vec::new();
    let mut note = None;
    match hickory_resolver::system_conf::read_system_conf() {
        Ok((config, _options)) => {
            for server in config.name_servers() {
                let port = server
                    .connections
                    .iter()
                    .find(|connection| connection.protocol == ProtocolConfig::Udp)
                    .map_or(DNS_PORT, |connection| connection.port);
                let address = SocketAddr::new(server.ip, port);
                let name = if server.ip.is_loopback() {
                    "This computer's own DNS cache"
                } else {
                    "This computer's usual DNS server"
                };
                servers.push(ServerSpec {
                    address,
                    kind: ServerKind::System,
                    name: name.to_owned(),
                });
            }
        }
        Err(error) => {
            note = Some(format!(
                "This computer's DNS settings could not be read ({error}), so only public DNS servers were asked."
            ));
        }
    }
    if options.include_public {
        for (owner, ip) in PUBLIC_RESOLVERS {
            servers.push(ServerSpec {
                address: SocketAddr::new(ip, DNS_PORT),
                kind: ServerKind::Public,
                name: format!("{owner}'s public DNS"),
            });
        }
    }
    let mut seen = BTreeSet::new();
    servers.retain(|server| seen.insert(server.address));
    (servers, note)
}

/// This computer's answer: the operating system's lookup (getaddrinfo: hosts file, then its DNS
/// servers and caches), or the override.
pub(super) async fn system_answer(host: &str, options: &DnsOptions) -> Result<Vec<IpAddr>, String> {
    let addresses = if let Some(fixed) = &options.system_override {
        fixed.clone()
    } else {
        let limit = options.timeout.max(SYSTEM_LOOKUP_MIN_TIME);
        match tokio::time::timeout(limit, tokio::net::lookup_host((host, 0))).await {
            Ok(Ok(found)) => found.map(|address| address.ip()).collect(),
            Ok(Err(error)) => {
                return Err(format!(
                    "This computer could not find an address for the name ({error})."
                ));
            }
            Err(_) => {
                return Err(format!(
                    "This computer found no address within {}.",
                    seconds_words(limit)
                ));
            }
        }
    };
    let mut seen = BTreeSet::new();
    let unique: Vec<IpAddr> = addresses
        .into_iter()
        .filter(|address| seen.insert(*address))
        .collect();
    if unique.is_empty() {
        Err("This computer found no address for the name.".to_owned())
    } else {
        Ok(unique)
    }
}

/// Asks every server at once, so the whole check takes about one timeout at most.
pub(super) async fn ask_all(
    servers: &[ServerSpec],
    name: &Name,
    timeout: Duration,
) -> Vec<ResolverAnswer> {
    let mut tasks = tokio::task::JoinSet::new();
    for (index, server) in servers.iter().enumerate() {
        let server = server.clone();
        let name = name.clone();
        tasks.spawn(async move { (index, ask_server(&server, &name, timeout).await) });
    }
    let mut answers: Vec<(usize, ResolverAnswer)> = Vec::with_capacity(servers.len());
    while let Some(joined) = tasks.join_next().await {
        if let Ok(answer) = joined {
            answers.push(answer);
        }
    }
    answers.sort_by_key(|(index, _)| *index);
    answers.into_iter().map(|(_, answer)| answer).collect()
}

/// Asks one server for the A and AAAA records of `name` (UDP, and TCP when an answer is too big for UDP).
pub(super) async fn ask_server(
    server: &ServerSpec,
    name: &Name,
    timeout: Duration,
) -> ResolverAnswer {
    let resolver = match build_resolver(server.address, timeout) {
        Ok(resolver) => resolver,
        Err(error) => {
            let failed = FamilyAnswer {
                addresses: Vec::new(),
                ttl_secs: None,
                outcome: Outcome::Error(error.to_string()),
            };
            return combine(server, failed.clone(), failed, timeout);
        }
    };
    // The resolver has its own time limit; this one only guards against it not keeping it.
    let limit = timeout + Duration::from_millis(500);
    let ask = |record_type: RecordType| {
        let resolver = &resolver;
        let name = name.clone();
        async move {
            match tokio::time::timeout(limit, resolver.lookup(name, record_type)).await {
                Ok(result) => family_answer(result, record_type),
                Err(_) => FamilyAnswer {
                    addresses: Vec::new(),
                    ttl_secs: None,
                    outcome: Outcome::Timeout,
                },
            }
        }
    };
    let (ipv4, ipv6) = tokio::join!(ask(RecordType::A), ask(RecordType::AAAA));
    combine(server, ipv4, ipv6, timeout)
}

/// A resolver that asks only `address`: one attempt, `timeout`, no hosts file, no search domains.
pub(super) fn build_resolver(
    address: SocketAddr,
    timeout: Duration,
) -> Result<Resolver<TokioRuntimeProvider>, NetError> {
    let mut udp = ConnectionConfig::udp();
    udp.port = address.port();
    let mut tcp = ConnectionConfig::tcp();
    tcp.port = address.port();
    let server = NameServerConfig::new(address.ip(), true, vec![udp, tcp]);
    let mut builder = Resolver::builder_with_config(
        ResolverConfig::from_name_servers(vec![server]),
        TokioRuntimeProvider::default(),
    );
    let resolver_options = builder.options_mut();
    resolver_options.timeout = timeout;
    // `attempts` counts retries after the first try.
    resolver_options.attempts = 0;
    resolver_options.use_hosts_file = ResolveHosts::Never;
    resolver_options.ndots = 0;
    builder.build()
}

/// Turns one lookup's result into an answer for its family.
pub(super) fn family_answer(
    result: Result<Lookup, NetError>,
    record_type: RecordType,
) -> FamilyAnswer {
    let outcome_only = |outcome| FamilyAnswer {
        addresses: Vec::new(),
        ttl_secs: None,
        outcome,
    };
    match result {
        Ok(lookup) => {
            let records: Vec<_> = lookup
                .answers()
                .iter()
                .filter(|record| record.record_type() == record_type)
                .filter_map(|record| record.data.ip_addr().map(|ip| (ip, record.ttl)))
                .collect();
            let ttl_secs = records.iter().map(|(_, ttl)| *ttl).min();
            let mut seen = BTreeSet::new();
            let addresses: Vec<IpAddr> = records
                .into_iter()
                .map(|(ip, _)| ip)
                .filter(|ip| seen.insert(*ip))
                .collect();
            if addresses.is_empty() {
                outcome_only(Outcome::NoAnswer)
            } else {
                FamilyAnswer {
                    addresses,
                    ttl_secs,
                    outcome: Outcome::Answered,
                }
            }
        }
        Err(error) => outcome_only(outcome_of_error(&error)),
    }
}

/// What a failed lookup means.
pub(super) fn outcome_of_error(error: &NetError) -> Outcome {
    match error {
        NetError::Dns(
            ResolverError::NoRecordsFound(NoRecords { response_code, .. })
            | ResolverError::ResponseCode(response_code),
        ) => match *response_code {
            ResponseCode::NXDomain => Outcome::NxDomain,
            ResponseCode::NoError => Outcome::NoAnswer,
            ResponseCode::ServFail => Outcome::ServFail,
            ResponseCode::Refused => Outcome::Refused,
            other => Outcome::Error(format!("it answered with the error code {other}")),
        },
        NetError::Timeout => Outcome::Timeout,
        NetError::Io(io_error) if io_error.kind() == io::ErrorKind::TimedOut => Outcome::Timeout,
        NetError::Io(io_error) => Outcome::Error(format!("it could not be reached: {io_error}")),
        other => Outcome::Error(other.to_string()),
    }
}

/// One server's answer from its two family answers.
pub(super) fn combine(
    server: &ServerSpec,
    ipv4: FamilyAnswer,
    ipv6: FamilyAnswer,
    timeout: Duration,
) -> ResolverAnswer {
    let outcome = overall_outcome(&ipv4.outcome, &ipv6.outcome);
    let addresses: Vec<IpAddr> = ipv4
        .addresses
        .iter()
        .chain(&ipv6.addresses)
        .copied()
        .collect();
    let ttl_secs = ipv4.ttl_secs.into_iter().chain(ipv6.ttl_secs).min();
    let summary = if outcome == Outcome::Answered {
        let remembered = ttl_secs.map_or_else(String::new, |ttl| format!(" ({})", ttl_words(ttl)));
        format!("answered {}{remembered}", list_addresses(&addresses))
    } else {
        outcome.plain_words(timeout)
    };
    ResolverAnswer {
        server: server.address.to_string(),
        name: server.name.clone(),
        kind: server.kind,
        addresses,
        ttl_secs,
        outcome,
        ipv4,
        ipv6,
        summary,
    }
}

/// The outcome of a server from its two families: addresses win, then "does not exist", then the
/// server's failures; "no address" only when both families say so.
pub(super) fn overall_outcome(ipv4: &Outcome, ipv6: &Outcome) -> Outcome {
    let both = [ipv4, ipv6];
    for wanted in [
        Outcome::Answered,
        Outcome::NxDomain,
        Outcome::ServFail,
        Outcome::Refused,
    ] {
        if both.contains(&&wanted) {
            return wanted;
        }
    }
    if *ipv4 == Outcome::NoAnswer && *ipv6 == Outcome::NoAnswer {
        return Outcome::NoAnswer;
    }
    [ipv4, ipv6]
        .into_iter()
        .find(|outcome| **outcome != Outcome::NoAnswer)
        .cloned()
        .unwrap_or(Outcome::NoAnswer)
}
