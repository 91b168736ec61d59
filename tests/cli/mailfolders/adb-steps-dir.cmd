mailfolders adb-steps --dir "/data/data/x; rm -rf /"; mailfolders adb-steps -a 2 --dir /data/data/com.htc.android.mail/databases/ | grep "adb "
