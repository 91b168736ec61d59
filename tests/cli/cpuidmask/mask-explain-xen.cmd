cpuidmask mask explain '"0x00000001:ecx=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx0,edx=xx0xxxxxxxxxxxxxxxxxxxxxxxxxxxxx"' 'host,lahf-lm=0'
