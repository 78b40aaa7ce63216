module chaser.sh/guest

go 1.19
