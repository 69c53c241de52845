//! Where webhooks may go: https to hosts whose every address is public, so a subscription
//! cannot make os2pm call into its own network (SSRF). An explicit allow-list of hosts is the
//! only way to a private address (tests, an on-premise receiver). Checked at registration and
//! again at every send, where the connection goes to the addresses just checked.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use reqwest::Url;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};

/// Why an address is not one a webhook may reach.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    Loopback,
    Private,
    LinkLocal,
    SharedAddressSpace,
    Multicast,
    Unspecified,
    Reserved,
}

impl Refusal {
    pub fn rule(self) -> &'static str {
        match self {
            Self::Loopback => "a loopback address",
            Self::Private => "a private address",
            Self::LinkLocal => "a link-local address",
            Self::SharedAddressSpace => "a shared (carrier-grade NAT) address",
            Self::Multicast => "a multicast address",
            Self::Unspecified => "an unspecified address",
            Self::Reserved => "a reserved or documentation address",
        }
    }
}

/// Whether `ip` is a public unicast address; IPv4 written inside IPv6 (mapped, compatible,
/// NAT64) is judged as the IPv4 address it carries.
pub fn check_address(ip: IpAddr) -> Result<(), Refusal> {
    match ip {
        IpAddr::V4(v4) => check_v4(v4),
        IpAddr::V6(v6) => check_v6(v6),
    }
}

fn check_v4(ip: Ipv4Addr) -> Result<(), Refusal> {
    let [a, b, c, _] = ip.octets();
    match (a, b, c) {
        (0, _, _) => Err(Refusal::Unspecified),
        (127, _, _) => Err(Refusal::Loopback),
        (10, _, _) | (172, 16..=31, _) | (192, 168, _) => Err(Refusal::Private),
        (169, 254, _) => Err(Refusal::LinkLocal),
        (100, 64..=127, _) => Err(Refusal::SharedAddressSpace),
        (224..=239, _, _) => Err(Refusal::Multicast),
        (240..=255, _, _)
        | (192, 0, 0 | 2)
        | (198, 18 | 19, _)
        | (198, 51, 100)
        | (203, 0, 113) => Err(Refusal::Reserved),
        _ => Ok(()),
    }
}

fn check_v6(ip: Ipv6Addr) -> Result<(), Refusal> {
    let segments = ip.segments();
    let embedded = || Ipv4Addr::from((u32::from(segments[6]) << 16) | u32::from(segments[7]));
    match segments {
        [0, 0, 0, 0, 0, 0, 0, 0] => Err(Refusal::Unspecified),
        [0, 0, 0, 0, 0, 0, 0, 1] => Err(Refusal::Loopback),
        // IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d), NAT64 (64:ff9b::a.b.c.d).
        [0, 0, 0, 0, 0, 0xffff, _, _]
        | [0, 0, 0, 0, 0, 0, _, _]
        | [0x64, 0xff9b, 0, 0, 0, 0, _, _] => check_v4(embedded()),
        // Local-use NAT64 (64:ff9b:1::/48) reaches whatever the operator routes there.
        [0x64, 0xff9b, 1, ..] => Err(Refusal::Private),
        [first, ..] if first & 0xfe00 == 0xfc00 => Err(Refusal::Private),
        [first, ..] if first & 0xffc0 == 0xfe80 || first & 0xffc0 == 0xfec0 => {
            Err(Refusal::LinkLocal)
        }
        [first, ..] if first & 0xff00 == 0xff00 => Err(Refusal::Multicast),
        [0x2001, 0x0db8, ..] => Err(Refusal::Reserved),
        _ => Ok(()),
    }
}

/// The hosts a webhook may reach although they are not public (`OS2PM_WEBHOOK_ALLOW_HOSTS`),
/// and whether plain http may be used to them (`OS2PM_WEBHOOK_ALLOW_HTTP_LOOPBACK`, for
/// development).
#[derive(Debug, Clone, Default)]
pub struct TargetPolicy {
    allowed_hosts: Arc<Vec<String>>,
    allow_http: bool,
}

impl TargetPolicy {
    pub fn new(allowed_hosts: &[String], allow_http: bool) -> Self {
        Self {
            allowed_hosts: Arc::new(allowed_hosts.iter().map(|h| normalise(h)).collect()),
            allow_http,
        }
    }

    fn allows(&self, host: &str) -> bool {
        self.allowed_hosts.iter().any(|h| *h == normalise(host))
    }

    /// Checks a target as written: its scheme, no credentials, and a host that is public or
    /// allowed (names are resolved when they are called). The message names the rule.
    pub fn check_url(&self, url: &str) -> Result<Url, String> {
        let parsed = Url::parse(url).map_err(|e| format!("is not a URL: {e}"))?;
        if !parsed.username().is_empty() || parsed.password().is_some() {
            return Err("must not carry credentials; the signature authenticates".into());
        }
        let host = parsed
            .host_str()
            .filter(|host| !host.is_empty())
            .ok_or("names no host")?
            .to_owned();
        let allowed = self.allows(&host);
        match parsed.scheme() {
            "https" => {}
            "http" if allowed && self.allow_http => {}
            "http" if allowed => {
                return Err(
                    "http is allowed only with OS2PM_WEBHOOK_ALLOW_HTTP_LOOPBACK (development)"
                        .into(),
                );
            }
            _ => return Err("must be https".into()),
        }
        if allowed {
            return Ok(parsed);
        }
        // The URL parser has already read every numeric spelling (2130706433, 0x7f.1) as the
        // address it is.
        if let Ok(ip) = normalise(&host).parse::<IpAddr>() {
            check_address(ip).map_err(|refusal| {
                format!(
                    "names {}; only public addresses are called (OS2PM_WEBHOOK_ALLOW_HOSTS lists exceptions)",
                    refusal.rule()
                )
            })?;
        } else if host == "localhost" || host.ends_with(".localhost") {
            return Err(format!(
                "names {}; only public addresses are called (OS2PM_WEBHOOK_ALLOW_HOSTS lists exceptions)",
                Refusal::Loopback.rule()
            ));
        } else if !host.trim_end_matches('.').contains('.') {
            return Err(format!(
                "names `{host}`, a single-label (internal) name; only public names are called \
                 (OS2PM_WEBHOOK_ALLOW_HOSTS lists exceptions)"
            ));
        }
        Ok(parsed)
    }

    /// Checks every address a target's name resolves to now (a name that does not resolve,
    /// or not in time, is checked again at each send, where it must).
    pub async fn check_resolved(&self, url: &str) -> Result<(), String> {
        let Ok(parsed) = Url::parse(url) else {
            return Ok(());
        };
        let host = parsed.host_str().unwrap_or_default().to_owned();
        if self.allows(&host) || normalise(&host).parse::<IpAddr>().is_ok() {
            return Ok(());
        }
        let lookup = tokio::net::lookup_host((host.as_str(), 443));
        let Ok(Ok(addresses)) = tokio::time::timeout(Duration::from_secs(3), lookup).await else {
            return Ok(());
        };
        for address in addresses {
            check_address(address.ip()).map_err(|refusal| {
                format!(
                    "`{host}` resolves to {}; only public addresses are called \
                     (OS2PM_WEBHOOK_ALLOW_HOSTS lists exceptions)",
                    refusal.rule()
                )
            })?;
        }
        Ok(())
    }

    /// The resolver the dispatcher's client uses: a name resolves only when every address it
    /// has is public (or the name is allowed), and the connection is made to those addresses.
    pub fn resolver(&self) -> Arc<PublicOnly> {
        Arc::new(PublicOnly(self.clone()))
    }
}

/// Host names compare without case; an IPv6 host with or without its brackets.
fn normalise(host: &str) -> String {
    host.trim_start_matches('[')
        .trim_end_matches(']')
        .to_ascii_lowercase()
}

/// Resolves names for webhook deliveries, refusing any that reaches a non-public address.
pub struct PublicOnly(TargetPolicy);

impl Resolve for PublicOnly {
    fn resolve(&self, name: Name) -> Resolving {
        let policy = self.0.clone();
        Box::pin(async move {
            let host = name.as_str().to_owned();
            let addresses: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            if !policy.allows(&host)
                && let Some(refusal) = addresses
                    .iter()
                    .find_map(|address| check_address(address.ip()).err())
            {
                return Err(format!("{host} resolves to {}", refusal.rule()).into());
            }
            Ok(Box::new(addresses.into_iter()) as Addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(url: &str) -> String {
        TargetPolicy::default().check_url(url).unwrap_err()
    }

    #[test]
    fn only_public_addresses_are_targets_in_any_spelling() {
        for (url, rule) in [
            ("https://127.0.0.1:9000/hook", "loopback"),
            ("https://[::1]/hook", "loopback"),
            ("https://localhost/hook", "loopback"),
            ("https://api.localhost/hook", "loopback"),
            ("https://2130706433/hook", "loopback"),
            ("https://0x7f.1/hook", "loopback"),
            ("https://[::ffff:127.0.0.1]/hook", "loopback"),
            ("https://[64:ff9b::7f00:1]/hook", "loopback"),
            ("https://169.254.169.254/latest/meta-data", "link-local"),
            ("https://[fe80::1]/hook", "link-local"),
            ("https://10.0.0.1/hook", "private"),
            ("https://172.16.5.4/hook", "private"),
            ("https://192.168.1.1/hook", "private"),
            ("https://[fd00::1]/hook", "private"),
            ("https://100.64.0.1/hook", "shared"),
            ("https://224.0.0.1/hook", "multicast"),
            ("https://[ff02::1]/hook", "multicast"),
            ("https://0.0.0.0/hook", "unspecified"),
            ("https://[::]/hook", "unspecified"),
            ("https://192.0.2.10/hook", "reserved"),
        ] {
            let message = refused(url);
            assert!(message.contains(rule), "{url}: {message}");
        }
        assert!(refused("https:///nohost").contains("single-label"));
        assert!(refused("https://intranet/hook").contains("single-label"));
        assert!(refused("http://intranet.aarhus.dk/hook").contains("https"));
        assert!(refused("https://user:pw@intranet.aarhus.dk/").contains("credentials"));
        assert!(refused("ftp://intranet.aarhus.dk/").contains("https"));
    }

    #[test]
    fn public_hosts_pass_and_the_allow_list_is_the_only_way_to_a_private_one() {
        let open = TargetPolicy::default();
        assert!(open.check_url("https://intranet.aarhus.dk/hooks").is_ok());
        assert!(open.check_url("https://93.184.216.34/hook").is_ok());
        assert!(open.check_url("https://[2a00:1450::1]/hook").is_ok());
        let on_premise = TargetPolicy::new(&["127.0.0.1".into(), "[::1]".into()], false);
        assert!(on_premise.check_url("https://127.0.0.1:9000/hook").is_ok());
        assert!(on_premise.check_url("https://[::1]:9000/hook").is_ok());
        assert!(on_premise.check_url("http://127.0.0.1:9000/hook").is_err());
        assert!(on_premise.check_url("https://10.0.0.1/hook").is_err());
        let development = TargetPolicy::new(&["127.0.0.1".into()], true);
        assert!(development.check_url("http://127.0.0.1:9000/hook").is_ok());
        assert!(
            development
                .check_url("http://intranet.aarhus.dk/hook")
                .is_err()
        );
    }
}
