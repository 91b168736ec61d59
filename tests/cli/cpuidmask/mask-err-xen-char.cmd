cpuidmask mask explain '"0x1:ecx=xxxxTxxxxxxxxxxxxxxxxxxxxxxxxxxx"'
