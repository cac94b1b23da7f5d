module github.com/authlint/authlint

go 1.26.8

require (
	github.com/alecthomas/kong v1.17.0
	github.com/tg123/go-htpasswd v1.2.5
	golang.org/x/crypto v0.58.0
	golang.org/x/sys v0.50.0
	gopkg.in/yaml.v3 v3.0.1
)

require github.com/GehirnInc/crypt v0.0.0-20230320061759-8cc1b52080c5 // indirect
