hostacl match --allow "1$(printf '%0300d' 0)" 1.2.3.4; hostacl match --allow "0000:0000:0000:0000:0000:0000:0000:0001/64" ::1; hostacl match "fe80::1%$(printf '%0100d' 0)"
