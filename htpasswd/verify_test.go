package htpasswd

import "testing"

// The hashes were made with the real tools from the throwaway password
// "alice-pw": htpasswd -nbB -C 4, htpasswd -nbm, htpasswd -nbs, openssl
// passwd -5/-6/-1 -salt saltsalt, mkpasswd -m yescrypt, htpasswd -nbd.
func TestVerify(t *testing.T) {
	tests := []struct {
		name, hash string
		want       Verification
	}{
		{"bcrypt", "$2y$04$XoQmOsjb3xJRfG9pdXZ8SulKteoNi7X44h4Ivk.CBtoBxMdS9ylV6", Match},
		{"apr1", "$apr1$LIelT.VR$0wbztgfJ9cAyuKkuv1Q8p1", Match},
		{"sha", "{SHA}g2YDYHBhl9R/ddqtGep+ipAO4aU=", Match},
		{"sha256-crypt", "$5$saltsalt$Fcbm1yZQ5MgRVBHzbBx8U9XeSGinwprr6Kk3R41S4xB", Match},
		{"sha512-crypt", "$6$saltsalt$6Ln9l6BtDgyKwSHwdUE47gnhcuIsgmQhFvEwo9YcWYBgzykQj0GKDn5SZB7NxuK0rgczjYbaFhtalyn4hhc8k1", Match},
		{"md5-crypt", "$1$saltsalt$l6hua7hbwqosNOGJ7WUbu/", Match},
		{"plain", "{PLAIN}alice-pw", Match},
		{"yescrypt", "$y$j9T$rALDOCHgbUCA3o.J.lV/q1$zI5NNconqW1NBJwpKgGk/oMKWaNG51wW1gyS.nTJb1.", CannotVerify},
		{"des", "SLEKDjtcmkvzU", CannotVerify},
		{"empty", "", Mismatch},
		{"truncated bcrypt", "$2y$04$XoQmOsjb3xJRfG9pdXZ8SulKteoNi7X44h4Ivk.CBtoBxMdS9y", Mismatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Verify(tt.hash, "alice-pw"); got != tt.want {
				t.Errorf("right password: %v, want %v", got, tt.want)
			}
			if tt.want == Match {
				if got := Verify(tt.hash, "wrong-pw"); got != Mismatch {
					t.Errorf("wrong password: %v, want mismatch", got)
				}
			}
		})
	}
}
