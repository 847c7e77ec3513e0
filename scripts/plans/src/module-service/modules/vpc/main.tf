variable "cidr" {
  type = string
}

variable "public_subnets" {
  type = list(string)
}

resource "aws_vpc" "this" {
  count      = 1
  cidr_block = var.cidr
}

resource "aws_internet_gateway" "this" {
  count  = 1
  vpc_id = aws_vpc.this[0].id
}

resource "aws_subnet" "public" {
  count      = length(var.public_subnets)
  vpc_id     = aws_vpc.this[0].id
  cidr_block = var.public_subnets[count.index]
}

resource "aws_route_table" "public" {
  count  = 1
  vpc_id = aws_vpc.this[0].id
}

resource "aws_route" "public_internet_gateway" {
  count                  = 1
  route_table_id         = aws_route_table.public[0].id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.this[0].id
}

resource "aws_route_table_association" "public" {
  count          = length(var.public_subnets)
  subnet_id      = element(aws_subnet.public[*].id, count.index)
  route_table_id = aws_route_table.public[0].id
}

output "public_subnets" {
  value = aws_subnet.public[*].id
}
