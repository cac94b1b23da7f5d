package apachemodel

// PLACEHOLDER: the Apache request evaluator is built on branch whyap, which
// replaces this whole file. Until then `authlint why` on an Apache
// configuration makes no prediction. Keep the signature exactly: the CLI
// and the scenario harness call it.

import (
	"github.com/authlint/authlint/internal/serverfs"
	"github.com/authlint/authlint/internal/why"
)

// Predict is what httpd does with req on the frozen model m, reading the
// files the configuration references (user files, document roots) through
// fsys. Placeholder: it predicts nothing (Status 0, not certain).
func Predict(m *Model, fsys serverfs.FS, req why.Request, opts why.Options) why.Prediction {
	p := why.Prediction{Certain: false, Status: 0}
	file := ""
	if m != nil && m.Conf != nil && m.Conf.Main != nil {
		file = m.Conf.Main.Path
	}
	p.Add("vhost", why.Place{File: file}, "the Apache evaluator is not built yet")
	return p
}
