printf 'hello world\n' | cpuidmask show -
