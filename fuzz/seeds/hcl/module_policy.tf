# Module inputs that are visibly policies are linted; other module inputs are not.
module "policy" {
  source = "terraform-aws-modules/iam/aws//modules/iam-policy"
  name   = "ml"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sagemaker:*", Resource = "*" }]
  })
}

module "not_a_policy" {
  source = "./modules/x"
  policy = jsonencode({ mode = "strict" })
}
