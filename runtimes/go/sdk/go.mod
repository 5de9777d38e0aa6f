module dcf.io/sdk

go 1.22
