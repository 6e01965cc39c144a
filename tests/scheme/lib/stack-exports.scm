(export push! pop!)
