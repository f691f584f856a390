package extraction

import "github.com/ranstream/ranstream/pkg/mdtext"

// basicMoshell records the MO attributes that MoShell/AMOS command lines and
// the tables hget prints name (mdtext.MoshellAttributes): an audit script's
// "hgetc NRCellDU= ^administrativeState$|^nRPCI$", a field engineer's "set
// Equipment=1,AlarmPort=3 normallyOpen false", a log's "MO
// electricalAntennaTilt userLabel" over rows of RetSubUnit LDNs.
func basicMoshell(c *chunk, r *Result) {
	for _, m := range mdtext.MoshellAttributes(c.text) {
		addParameter(r, m.Class, m.Attribute, "")
	}
}
