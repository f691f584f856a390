module github.com/ranstream/ranstream/services

go 1.26
