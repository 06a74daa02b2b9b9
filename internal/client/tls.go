package client

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net/http"
)

// TLSConfig trusts private certificate authorities, or, when asked
// explicitly, nothing at all.
type TLSConfig struct {
	// CACertPEM holds one or more PEM certificates trusted in addition to
	// the system roots, for platforms behind a private CA.
	CACertPEM string
	// InsecureSkipVerify accepts any certificate. Only for throwaway test
	// setups: anyone on the path can then read the token.
	InsecureSkipVerify bool
}

func (t TLSConfig) empty() bool { return t.CACertPEM == "" && !t.InsecureSkipVerify }

// clientTLS builds the transport's TLS settings. The system pool is kept,
// so adding a private CA does not stop public certificates from working.
func (t TLSConfig) clientTLS() (*tls.Config, error) {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if t.InsecureSkipVerify {
		cfg.InsecureSkipVerify = true // #nosec G402 -- explicit user opt-in, warned about by the provider
		return cfg, nil
	}
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM([]byte(t.CACertPEM)) {
		return nil, errors.New("ca_cert_pem holds no PEM certificate (expected -----BEGIN CERTIFICATE----- blocks)")
	}
	cfg.RootCAs = pool
	return cfg, nil
}

// httpClientWithTLS is the default client with custom TLS settings; the
// connection pool settings stay those of defaultHTTPClient.
func httpClientWithTLS(t TLSConfig) (*http.Client, error) {
	tlsCfg, err := t.clientTLS()
	if err != nil {
		return nil, err
	}
	c := defaultHTTPClient()
	c.Transport.(*http.Transport).TLSClientConfig = tlsCfg
	return c, nil
}

// IsCertificateError: the platform's certificate was not trusted (unknown
// authority, wrong host name, expired), which no retry can fix.
func IsCertificateError(err error) bool {
	var (
		unknownAuthority x509.UnknownAuthorityError
		invalidCert      x509.CertificateInvalidError
		hostname         x509.HostnameError
		verification     *tls.CertificateVerificationError
	)
	return errors.As(err, &unknownAuthority) || errors.As(err, &invalidCert) ||
		errors.As(err, &hostname) || errors.As(err, &verification)
}

// ValidCACertPEM reports whether pem holds at least one certificate.
func ValidCACertPEM(pem string) bool {
	return x509.NewCertPool().AppendCertsFromPEM([]byte(pem))
}
