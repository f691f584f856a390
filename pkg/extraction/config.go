package extraction

import "github.com/ranstream/ranstream/pkg/mdtext"

// basicConfig records the MO attributes configuration text names plainly
// (mdtext.ConfigAttributes): MoShell/AMOS command lines and the tables hget
// prints (an audit script's "hgetc NRCellDU= ^administrativeState$|^nRPCI$",
// a field engineer's "set Equipment=1,AlarmPort=3 normallyOpen false", a
// log's "MO electricalAntennaTilt userLabel" over rows of RetSubUnit LDNs),
// and the attributes a 3GPP bulk CM export sets (<es:vsDataEul>
// <es:numEagchCodes>, <un:UtranCell><un:attributes><un:localCellId>).
func basicConfig(c *chunk, r *Result) {
	for _, m := range mdtext.ConfigAttributes(c.text) {
		addParameter(r, m.Class, m.Attribute, "")
	}
}
