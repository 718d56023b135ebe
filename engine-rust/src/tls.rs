//! TLS towards the target through rustls, with the node engine's options (src/net/tls-material.ts): the
//! trusted roots arrive as PEM text (the node engine's roots, the system bundle and `--ca`, joined by the
//! agent), an optional client certificate, `insecure` (verify nothing), SNI from the URL's host, ALPN
//! http/1.1. Failures map to the codes the verdict explains (describeTlsFailure).

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{AlertDescription, CertificateError, ClientConfig, DigitallySignedStruct, Error, RootCertStore, SignatureScheme};
use serde_json::Value;
use std::sync::Arc;

pub struct TlsTarget {
    pub config: Arc<ClientConfig>,
    /// SNI and the name checked; None for an IP literal (then checked against the address).
    pub server_name: Option<ServerName<'static>>,
    pub insecure: bool,
}

/// `{serverName, insecure, caPem, certPem?, keyPem?}` from the agent.
pub fn tls_target(value: &Value) -> Result<TlsTarget, String> {
    // ring (a C/asm build, no cmake): rustls marks it deprecated for lacking post-quantum key exchange.
    #[allow(deprecated)]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let insecure = value["insecure"].as_bool().unwrap_or(false);
    let builder = ClientConfig::builder_with_provider(provider.clone()).with_safe_default_protocol_versions().map_err(|e| e.to_string())?;
    let builder = if insecure {
        builder.dangerous().with_custom_certificate_verifier(Arc::new(VerifyNothing(provider)))
    } else {
        let mut roots = RootCertStore::empty();
        let pem = value["caPem"].as_str().unwrap_or("");
        let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(pem.as_bytes()).filter_map(Result::ok).collect();
        let (added, _ignored) = roots.add_parsable_certificates(certs);
        if added == 0 {
            return Err("no usable CA certificate to trust (pass --ca FILE or --insecure)".into());
        }
        builder.with_root_certificates(roots)
    };
    let mut config = match (value["certPem"].as_str(), value["keyPem"].as_str()) {
        (Some(cert), Some(key)) => {
            let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(cert.as_bytes()).collect::<Result<_, _>>().map_err(|e| format!("client certificate: {e}"))?;
            let key = PrivateKeyDer::from_pem_slice(key.as_bytes()).map_err(|e| format!("client key: {e}"))?;
            builder.with_client_auth_cert(chain, key).map_err(|e| format!("client certificate: {e}"))?
        }
        _ => builder.with_no_client_auth(),
    };
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    let server_name = match value["serverName"].as_str() {
        Some(name) => Some(ServerName::try_from(name.to_string()).map_err(|e| format!("server name {name}: {e}"))?),
        None => None,
    };
    Ok(TlsTarget { config: Arc::new(config), server_name, insecure })
}

/// The code and message of a failed handshake or certificate check, in OpenSSL's words where the
/// verdict explains them (tls-material.ts describeTlsFailure).
pub fn failure_code(error: &Error) -> (&'static str, String) {
    let code = match error {
        Error::InvalidCertificate(CertificateError::UnknownIssuer) => "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
        Error::InvalidCertificate(CertificateError::NotValidForName) | Error::InvalidCertificate(CertificateError::NotValidForNameContext { .. }) => "ERR_TLS_CERT_ALTNAME_INVALID",
        Error::InvalidCertificate(CertificateError::Expired) | Error::InvalidCertificate(CertificateError::ExpiredContext { .. }) => "CERT_HAS_EXPIRED",
        Error::InvalidCertificate(CertificateError::NotValidYet) | Error::InvalidCertificate(CertificateError::NotValidYetContext { .. }) => "CERT_NOT_YET_VALID",
        Error::InvalidCertificate(_) => "CERT_REJECTED",
        Error::AlertReceived(AlertDescription::CertificateRequired) => "ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED",
        Error::AlertReceived(AlertDescription::UnknownCA) => "ERR_SSL_TLSV1_ALERT_UNKNOWN_CA",
        Error::AlertReceived(AlertDescription::BadCertificate) => "ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE",
        Error::AlertReceived(AlertDescription::CertificateUnknown) => "ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN",
        Error::InvalidMessage(_) => "ERR_SSL_WRONG_VERSION_NUMBER",
        _ => "ERR_SSL_HANDSHAKE_FAILURE",
    };
    (code, error.to_string())
}

/// `--insecure`: every certificate accepted (signatures still parsed by the provider's algorithms).
#[derive(Debug)]
struct VerifyNothing(Arc<rustls::crypto::CryptoProvider>);

impl ServerCertVerifier for VerifyNothing {
    fn verify_server_cert(&self, _: &CertificateDer<'_>, _: &[CertificateDer<'_>], _: &ServerName<'_>, _: &[u8], _: UnixTime) -> Result<ServerCertVerified, Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(&self, _: &[u8], _: &CertificateDer<'_>, _: &DigitallySignedStruct) -> Result<HandshakeSignatureValid, Error> {
        Ok(HandshakeSignatureValid::assertion())
    }

    fn verify_tls13_signature(&self, _: &[u8], _: &CertificateDer<'_>, _: &DigitallySignedStruct) -> Result<HandshakeSignatureValid, Error> {
        Ok(HandshakeSignatureValid::assertion())
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}
