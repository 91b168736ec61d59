printf 'CPU:\n\001\002\000\003garbage' | cpuidmask show -
