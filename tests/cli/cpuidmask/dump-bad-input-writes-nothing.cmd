cd $CM_TMP && printf 'cpuidmask-dump 1\n00000001 1 2 3\n' > bad; cpuidmask dump -o never.dump bad; echo status $?; ls
