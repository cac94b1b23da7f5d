package rules

import "github.com/authlint/authlint/nginxconf"

// NginxAuthPlacement reports what makes nginx refuse the configuration:
// auth_basic or auth_basic_user_file inside `if`, twice in one block
// (`ngx_conf_handler` checks the `ngx_http_auth_basic_commands` table;
// scenarios `nginx-startup-auth-in-if`, `nginx-startup-duplicate`), or with
// other than one argument (a missing ';' joins the next directive's words to
// it; scenario `nginx-startup-syntax`). nginx -t catches these too; authlint says so before
// the reload, next to the other findings.
var NginxAuthPlacement = &Rule{
	ID: "NG103", Name: "auth-directive-placement", Severity: Error,
	Summary: "auth_basic/auth_basic_user_file inside `if`, twice in one block or with several arguments: nginx refuses to start",
	Nginx: func(p *NginxPass) {
		for _, s := range p.Model.All {
			seen := map[string]*nginxconf.Directive{}
			for _, d := range s.Own {
				if d.Name != "auth_basic" && d.Name != "auth_basic_user_file" {
					continue
				}
				if len(d.Args) != 1 {
					hint := ""
					if len(d.Args) > 1 {
						hint = " (a missing ';' joins the next directive's words to it)"
					}
					p.At(d, "%q takes one argument, not %d%s: nginx refuses to start (\"invalid number of arguments\")", d.Name, len(d.Args), hint)
					continue
				}
				if s.Kind == "if" {
					p.At(d, "%q is not allowed inside `if`: nginx refuses to start (\"directive is not allowed here\"); use a map on the realm (auth_basic $realm with \"off\") instead", d.Name)
					continue
				}
				if prev, ok := seen[d.Name]; ok {
					p.At(d, "%q appears twice in this block (first at %s): nginx refuses to start (\"directive is duplicate\")", d.Name, p.LineRef(d, prev))
					continue
				}
				seen[d.Name] = d
			}
		}
	},
}
